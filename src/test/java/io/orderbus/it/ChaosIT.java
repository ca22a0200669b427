package io.orderbus.it;

import io.orderbus.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI version of {@code orderbus chaos}: two minutes of load with nodes SIGKILLed and restarted, paused with
 * SIGSTOP, and the SMTP server stopped, by a fixed seed; then every check of the history must pass. The command
 * runs as its own JVM and starts five more; closing it kills its whole process tree.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class ChaosIT {
  private static final long SEED = 20261126;
  private static final Pattern FAULTS = Pattern.compile("## Faults: (\\d+) \\(KILL (\\d+), PAUSE (\\d+), SMTP (\\d+)\\)");

  @Test
  void twoMinutesOfFaultsCostNothing() throws Exception {
    Path out = Path.of("target", "chaos-it");
    try (NodeProcess chaos = NodeProcess.start("chaos", List.of("chaos", "--duration", "2m", "--seed", String.valueOf(SEED),
        "--out", out.toString()))) {
      boolean ended = chaos.process().waitFor(450, TimeUnit.SECONDS);
      assertThat(ended).as("the chaos run ended; its last lines:\n%s", chaos.tail(30)).isTrue();
      Path reportFile = out.resolve("report.md");
      assertThat(reportFile).as("the report; the run's last lines:\n%s", chaos.tail(30)).exists();
      String report = Files.readString(reportFile);
      assertThat(chaos.process().exitValue()).as("exit status; the report:\n%s", report).isZero();
      assertThat(report).contains("**result: PASSED** (7 of 7 checks passed)", "seed: " + SEED);
      for (String check : List.of("every request answered definitively", "every order final, and as its client was told",
          "mails at the SMTP server exactly as promised", "stock conserved (initial - confirmed = available)",
          "no dead letters", "backlog drained", "every fault undone and the cluster whole again")) {
        assertThat(report).contains("| " + check + " | passed | 0 |");
      }
      Matcher faults = FAULTS.matcher(report);
      assertThat(faults.find()).as(report).isTrue();
      assertThat(Integer.parseInt(faults.group(2))).as("nodes SIGKILLed and restarted").isGreaterThanOrEqualTo(1);
      assertThat(Integer.parseInt(faults.group(3))).as("nodes paused").isGreaterThanOrEqualTo(1);
      assertThat(Integer.parseInt(faults.group(4))).as("SMTP outages").isGreaterThanOrEqualTo(2);
      assertThat(report).containsPattern("Requests: [1-9]\\d{2,}");
    }
  }
}
