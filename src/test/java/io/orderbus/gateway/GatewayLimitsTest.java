package io.orderbus.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's limits as settings: refused when they could not work, and the stream keep-alive they imply. */
class GatewayLimitsTest {
  private static final Duration S = Duration.ofSeconds(1);

  @Test
  void aLimitThatCouldNotWorkIsRefusedByName() {
    assertThatThrownBy(() -> new GatewayLimits(Duration.ZERO, S, S, 1, 1)).hasMessageContaining("httpIdleTimeout");
    assertThatThrownBy(() -> new GatewayLimits(S, S.negated(), S, 1, 1)).hasMessageContaining("httpHeaderTimeout");
    assertThatThrownBy(() -> new GatewayLimits(S, S, Duration.ZERO, 1, 1)).hasMessageContaining("httpBodyTimeout");
    assertThatThrownBy(() -> new GatewayLimits(S, S, S, 0, 1)).hasMessageContaining("httpMaxConnections");
    assertThatThrownBy(() -> new GatewayLimits(S, S, S, 1, 0)).hasMessageContaining("maxOrderStreams");
  }

  @Test
  void streamsSpeakOftenEnoughThatTheIdleTimeoutNeverClosesThem() {
    GatewayLimits limits = new GatewayLimits(Duration.ofSeconds(30), S, S, 1, 1);
    assertThat(limits.keepAlive(Duration.ofSeconds(5))).as("the refresh, when shorter").isEqualTo(Duration.ofSeconds(5));
    assertThat(limits.keepAlive(Duration.ofHours(1))).as("half the idle timeout").isEqualTo(Duration.ofSeconds(15));
    assertThat(new GatewayLimits(Duration.ofNanos(1), S, S, 1, 1).keepAlive(S)).isEqualTo(Duration.ofMillis(1));
  }
}
