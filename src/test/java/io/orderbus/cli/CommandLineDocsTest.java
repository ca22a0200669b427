package io.orderbus.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage shown in README.md and docs/cli.md is what the code prints, so it cannot go stale: a change to a command
 * or a setting fails this test until the page is regenerated (it writes the page as it should be to target/).
 */
class CommandLineDocsTest {
  private static final String README_MARK = "<!-- java -jar orderbus.jar --help, checked by CommandLineDocsTest -->";
  private static final List<String> COMMANDS = List.of("cluster", "node", "bench", "bench tradeoffs", "bench spike",
      "bench orders", "chaos");

  @Test
  void theReadmeShowsTheTopHelpAsPrinted() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains(README_MARK);
    String afterMark = readme.substring(readme.indexOf(README_MARK) + README_MARK.length());
    String block = afterMark.substring(afterMark.indexOf("```\n") + 4, afterMark.indexOf("\n```", afterMark.indexOf("```\n") + 4) + 1);
    assertThat(block).isEqualTo(help(""));
  }

  @Test
  void docsCliIsTheHelpOfEveryCommandAsPrinted() throws Exception {
    String expected = cliPage();
    String actual = Files.readString(Path.of("docs", "cli.md"));
    if (!actual.equals(expected)) {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "cli.md"), expected);
    }
    assertThat(actual).as("docs/cli.md differs from --help; the page as printed is in target/cli.md").isEqualTo(expected);
  }

  private static String help(String command) {
    CommandLineTest.Run run = CommandLineTest.run(CommandLineTest.words(command, "--help"));
    assertThat(run.status()).isZero();
    return run.out().lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
  }

  /** The help without its list of node settings, which {@code node}'s shows. */
  private static String withoutSettings(String help) {
    int start = help.indexOf("\nNode settings (");
    if (start < 0) {
      return help;
    }
    int end = help.indexOf("\nCommands:", start);
    return help.substring(0, start) + "\nNode settings: the same as node's (listed there)\n" + (end < 0 ? "" : help.substring(end));
  }

  private static String cliPage() {
    StringBuilder page = new StringBuilder("""
        # The command line

        `java -jar orderbus.jar [COMMAND] [OPTIONS]`; without a command it is `cluster`. Every command takes
        `--help` and `--version`. Bad usage (an unknown option, a malformed value, a setting the node refuses)
        is one line saying which and why, a hint to `--help`, and exit status 2.

        Every node setting (each key of `conf/orderbus.json`, camelCase as `--kebab-case`: `httpPort` is
        `--http-port`) is an option of the commands that start nodes, which pass them to their nodes; it is
        also an environment variable (`ORDERBUS_HTTP_PORT`). Flags win over the environment, which wins over the
        settings file ([configuration](operations.md#configuration)).

        The settings are listed once, under `node`; `cluster` and the benchmarks take the same.
        This page is the commands' `--help`, generated: `CommandLineDocsTest` fails when they differ and writes
        the page as printed to `target/cli.md`.
        """);
    page.append("\n## `java -jar orderbus.jar`\n\n```\n").append(help("")).append("```\n");
    for (String command : COMMANDS) {
      String help = command.equals("node") ? help(command) : withoutSettings(help(command));
      page.append("\n## `java -jar orderbus.jar ").append(command).append("`\n\n```\n").append(help).append("```\n");
    }
    return page.toString();
  }
}
