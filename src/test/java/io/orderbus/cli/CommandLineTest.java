package io.orderbus.cli;

import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeSettingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line in-process, without starting anything: help and version on every command, and bad usage answered
 * with one precise line, a hint and exit status 2, never a stack trace.
 */
class CommandLineTest {
  private static final List<String> COMMANDS = List.of("", "cluster", "node", "bench", "bench tradeoffs", "bench spike",
      "bench orders", "chaos", "bench-member");

  record Run(int status, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = OrderbusCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  static String[] words(String command, String... more) {
    List<String> all = new java.util.ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String command : COMMANDS) {
      for (String help : List.of("--help", "-h")) {
        Run run = run(words(command, help));
        assertThat(run.status()).as(command + " " + help).isZero();
        assertThat(run.out()).as(command + " " + help)
            .contains("Usage: java -jar orderbus.jar" + (command.isEmpty() ? "" : " " + command) + " [OPTIONS]")
            .contains("--version");
        assertThat(run.err()).isEmpty();
      }
      Run version = run(words(command, "--version"));
      assertThat(version.status()).as(command + " --version").isZero();
      assertThat(version.out()).as(command + " --version").matches("orderbus \\d+\\.\\d+\\.\\d+\\S*\\R");
    }
  }

  @Test
  void theTopHelpIsShortAndListsTheCommandsButNotTheInternalOne() {
    String help = run("--help").out();
    assertThat(help).contains("cluster", "node", "bench", "chaos", "--http-port", "--nodes").doesNotContain("bench-member");
    assertThat(help.lines().count()).as(help).isLessThan(30);
    assertThat(run("bench", "--help").out()).contains("tradeoffs", "spike", "orders", "--events");
    assertThat(run("help").out()).isEqualTo(help);
    assertThat(run("help", "node").out()).isEqualTo(run("node", "--help").out());
  }

  @Test
  void everySettingIsAnOptionOfTheCommandsThatStartNodes() {
    for (String command : List.of("cluster", "node", "bench", "bench tradeoffs", "bench spike", "bench orders")) {
      String help = run(words(command, "--help")).out();
      for (String key : NodeConfig.defaultsOnly().asJson().fieldNames()) {
        if (!(command.equals("bench orders") && key.equals("requestTimeout"))) {
          assertThat(help).as(command + " --help").contains(NodeSettingOptions.flag(key) + "=VALUE");
        }
      }
      assertThat(help).contains("--config=FILE", "--admin-token-file=FILE");
    }
    assertThat(run("chaos", "--help").out()).doesNotContain("--http-port");
  }

  @Test
  void theSettingsGivenReachNodeConfigAsItTakesThem() {
    CommandLine commandLine = OrderbusCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = commandLine.parseArgs("node", "--http-port", "9090", "--welcome-delay=PT1S",
        "--roles", "gateway", "--roles", "email,order", "--clock-skew", "-PT2S");
    List<String> given = NodeSettingOptions.given(parsed.subcommand().commandSpec());
    assertThat(given).containsExactlyInAnyOrder("--http-port", "9090", "--welcome-delay", "PT1S", "--roles", "email,order",
        "--clock-skew", "-PT2S");
    NodeConfig config = NodeConfig.load(given, java.util.Map.of());
    assertThat(config.integer("httpPort")).isEqualTo(9090);
    assertThat(config.list("roles")).containsExactly("email", "order");
  }

  /** A command's own option wins over a setting of the same name: bench orders' --request-timeout is in seconds. */
  @Test
  void aCommandsOwnOptionIsNotTakenForASetting() {
    CommandLine commandLine = OrderbusCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = commandLine.parseArgs("bench", "orders", "--request-timeout", "5", "--max-backlog", "7");
    assertThat(NodeSettingOptions.given(parsed.subcommand().subcommand().commandSpec()))
        .containsExactly("--max-backlog", "7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--bogus", "node --bogus", "cluster --bogus", "bench --bogus", "bench spike --bogus",
      "bench orders --bogus", "chaos --bogus", "bench-member --bogus"})
  void anUnknownOptionIsNamedWithAHint(String line) {
    Run run = run(line.split(" "));
    String command = line.substring(0, line.length() - "--bogus".length()).trim();
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("orderbus: Unknown option: '--bogus'")
        .contains("Try 'java -jar orderbus.jar " + (command.isEmpty() ? "" : command + " ") + "--help' for more information.");
    assertNoStackTrace(run);
  }

  @Test
  void malformedValuesAreNamedPrecisely() {
    Run rate = run("bench", "orders", "--rate", "x");
    assertThat(rate.status()).isEqualTo(2);
    assertThat(rate.err()).contains("'--rate'", "'x'").contains("Try 'java -jar orderbus.jar bench orders --help'");
    assertNoStackTrace(rate);

    Run step = run("bench", "orders", "--step", "0.5");
    assertThat(step.status()).isEqualTo(2);
    assertThat(step.err()).contains("--step must be above 1");
    assertNoStackTrace(step);

    Run missing = run("node", "--http-port");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter for option '--http-port'");
    assertNoStackTrace(missing);
  }

  /** NodeConfig's own checks (a wrong type) are usage errors too, said before any node starts. */
  @Test
  void aSettingNodeConfigRefusesIsAUsageError() {
    for (String command : List.of("node", "cluster", "")) {
      Run run = run(words(command, "--http-port", "abc"));
      assertThat(run.status()).as(command).isEqualTo(2);
      assertThat(run.err()).as(command).startsWith("orderbus: flag --http-port: 'abc' is not a valid number for httpPort");
      assertNoStackTrace(run);
    }
  }

  @Test
  void anUnknownCommandIsNamedWithSuggestions() {
    Run run = run("nod");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("'nod'").contains("node");
    assertNoStackTrace(run);
  }

  @Test
  void chaosValuesAreCheckedByItsOptions() {
    Run run = run("chaos", "--rate", "0");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("orderbus: --rate must be a number of orders per second above 0")
        .contains("Try 'java -jar orderbus.jar chaos --help'");
    assertNoStackTrace(run);
  }

  private static void assertNoStackTrace(Run run) {
    assertThat(run.err() + run.out()).doesNotContain("\tat ", "Exception");
  }
}
