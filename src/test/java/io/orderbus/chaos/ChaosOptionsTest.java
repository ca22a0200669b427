package io.orderbus.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChaosOptionsTest {
  @Test
  void defaultsAndEveryFlag() {
    ChaosOptions defaults = ChaosOptions.parse(List.of(), 5);
    assertThat(defaults).isEqualTo(new ChaosOptions(Duration.ofMinutes(10), 5, 8, Path.of("target", "chaos"),
        Duration.ofMinutes(3)));
    ChaosOptions given = ChaosOptions.parse(List.of("--duration", "1h30m", "--seed", "-7", "--rate", "2.5",
        "--out", "/tmp/x", "--settle-timeout", "PT90S"), 5);
    assertThat(given).isEqualTo(new ChaosOptions(Duration.ofMinutes(90), -7, 2.5, Path.of("/tmp/x"), Duration.ofSeconds(90)));
    assertThat(ChaosOptions.duration("--duration", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ChaosOptions.duration("--duration", "2m")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badInputIsAUsageErrorThatSaysWhatIsWrong() {
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--dureation", "2m"), 1)).hasMessageContaining("unknown flag --dureation");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration"), 1)).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration", "2x"), 1)).hasMessageContaining("'2x'");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration", "0s"), 1)).hasMessageContaining("at least 1s");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration", ""), 1)).hasMessageContaining("duration");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--seed", "x"), 1)).hasMessageContaining("--seed");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--rate", "0"), 1)).hasMessageContaining("--rate");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--rate", "NaN"), 1)).hasMessageContaining("--rate");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("2m"), 1)).hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--seed", "1", "--seed", "2"), 1)).hasMessageContaining("twice");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration", "9999999m"), 1))
        .isInstanceOf(ChaosOptions.UsageException.class);
  }
}
