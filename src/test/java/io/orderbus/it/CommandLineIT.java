package io.orderbus.it;

import io.orderbus.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar's command line as a user meets it (the shaded jar, its manifest, the version Maven wrote): bad usage
 * is one precise line and exit status 2 with no stack trace. The rest of the command line is tested in-process
 * ({@code CommandLineTest}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineIT {

  @Test
  void theJarAnswersBadUsageWithOneLineAndStatus2() throws Exception {
    try (NodeProcess bogus = NodeProcess.start("cli-bogus", List.of("node", "--bogus"))) {
      assertThat(bogus.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(bogus.process().exitValue()).as(bogus.tail(20)).isEqualTo(2);
      assertThat(bogus.output()).as(bogus.tail(20)).containsExactly("orderbus: Unknown option: '--bogus'",
          "Try 'java -jar orderbus.jar node --help' for more information.");
    }
    try (NodeProcess version = NodeProcess.start("cli-version", List.of("--version"))) {
      assertThat(version.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(version.process().exitValue()).as(version.tail(20)).isZero();
      assertThat(version.output()).as(version.tail(20)).singleElement().asString().matches("orderbus \\d+\\.\\d+\\.\\d+\\S*");
    }
  }
}
