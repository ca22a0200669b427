package io.orderbus.node;

import io.orderbus.messaging.ClusterClock;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * The {@code clockSkew} setting, for tests and demos only: this JVM's wall clock as Hazelcast and orderbus
 * read it runs that much ahead (or, negative, behind), as on a machine whose clock is off. Applied as
 * Hazelcast's own clock offset, so that Hazelcast's cluster time corrects it back to the master's, exactly as
 * it would a machine's. Hazelcast reads the offset once per JVM, so a skewed node needs a JVM of its own.
 */
final class ClockSkew {
  /** How far the clock as read may be from the one asked for: the two reads of the check are not atomic. */
  private static final long TOLERANCE_MS = 1000;
  /** Logged when a skew applies, so that no one mistakes a skewed node for a healthy one (tests wait for it). */
  static final String APPLIED = "clockSkew applied";
  private static final Logger LOG = Logger.getLogger(ClockSkew.class.getName());

  private ClockSkew() {
  }

  /** Applies {@code skew} before anything starts Hazelcast; refuses if this JVM's clock is already read otherwise. */
  static void apply(Duration skew) {
    if (skew.isZero()) {
      return;
    }
    String before = System.setProperty(ClusterClock.OFFSET_PROPERTY, Long.toString(skew.toMillis()));
    long seen = ClusterClock.localSkewMillis();
    if (Math.abs(seen - skew.toMillis()) > TOLERANCE_MS) {
      // Left as it was: the refusal must not skew whatever starts in this JVM next.
      if (before == null) {
        System.clearProperty(ClusterClock.OFFSET_PROPERTY);
      } else {
        System.setProperty(ClusterClock.OFFSET_PROPERTY, before);
      }
      throw new NodeConfig.InvalidConfigException("clockSkew " + skew + " cannot apply: this JVM's clock already runs "
          + seen + " ms off (Hazelcast started before, e.g. another node in the same JVM); run the node in a JVM of its own");
    }
    LOG.warning(() -> APPLIED + ": this JVM's clock runs " + seen + " ms off the operating system's (tests and demos only)");
  }
}
