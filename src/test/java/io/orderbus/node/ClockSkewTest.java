package io.orderbus.node;

import io.orderbus.messaging.ClusterClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test-only clock skew: it needs a JVM of its own (the skewed clock itself is shown by {@code ClockSkewIT}
 * on separate JVMs). This JVM's clock is read before the test, so a skew must be refused and leave nothing set.
 */
class ClockSkewTest {

  @Test
  void aSkewIsRefusedOnceThisJvmsClockIsReadAndLeavesTheJvmAsItWas() {
    long before = ClusterClock.localSkewMillis();
    assertThat(System.getProperty(ClusterClock.OFFSET_PROPERTY)).isNull();

    assertThatThrownBy(() -> ClockSkew.apply(Duration.ofSeconds(10)))
        .isInstanceOf(NodeConfig.InvalidConfigException.class)
        .hasMessageContaining("clockSkew").hasMessageContaining("JVM of its own");
    assertThat(System.getProperty(ClusterClock.OFFSET_PROPERTY)).isNull();
    assertThat(ClusterClock.localSkewMillis()).isBetween(before - 100, before + 100);
  }

  @Test
  void noSkewNeedsNothing() {
    ClockSkew.apply(Duration.ZERO);
    assertThat(System.getProperty(ClusterClock.OFFSET_PROPERTY)).isNull();
  }
}
