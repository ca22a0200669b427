package io.orderbus.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Ends a node process that stays cut off from the cluster's majority: fewer members than {@code minClusterSize}
 * for longer than {@code minorityTimeout}. Such a node refuses every write, and normally Hazelcast merges it
 * back within seconds once it can reach the others again; but a cluster of one that lost its members while
 * migrating partitions was seen never to look for them again (chaos run, 2026-11-26: ten minutes alone while
 * the other four served; Hazelcast's own issue 17489 describes the smaller side not searching). A fresh
 * start always joins, so the process exits with {@link #EXIT_STATUS} for its supervisor (the local launcher,
 * {@code restart:} in compose, Kubernetes) to start it again.
 */
final class MinorityWatchdog {
  /** The exit status of a node that left because it stayed cut off: start it again. */
  static final int EXIT_STATUS = 3;
  private static final Logger LOG = Logger.getLogger(MinorityWatchdog.class.getName());
  private static final long CHECK_MS = 1_000;

  private final SplitBrainProtection protection;
  private final Duration timeout;
  private final Runnable exit;
  /** When this node was first seen cut off ({@link System#nanoTime()}), or -1 while it is not. */
  private long since = -1;

  private MinorityWatchdog(SplitBrainProtection protection, Duration timeout, Runnable exit) {
    this.protection = protection;
    this.timeout = timeout;
    this.exit = exit;
  }

  /**
   * Watches this node from now on, if the cluster has split-brain protection and the timeout is positive;
   * {@code exit} is run once, on its own thread, when the node has been cut off for the whole timeout.
   */
  static void watch(Vertx vertx, HazelcastInstance hazelcast, Duration timeout, Runnable exit) {
    if (timeout.isZero() || hazelcast.getConfig().getSplitBrainProtectionConfigs().isEmpty()) {
      return;
    }
    SplitBrainProtection protection = hazelcast.getSplitBrainProtectionService()
        .getSplitBrainProtection(ClusterConfigFactory.SPLIT_BRAIN_PROTECTION);
    MinorityWatchdog watchdog = new MinorityWatchdog(protection, timeout, exit);
    vertx.setPeriodic(CHECK_MS, id -> {
      if (watchdog.check(System.nanoTime())) {
        vertx.cancelTimer(id);
        // Not on the event loop: exiting runs the shutdown hook, which waits for Vert.x to close.
        new Thread(exit, "orderbus-minority-exit").start();
      }
    });
  }

  /** True when the node has been cut off for the whole timeout as of {@code now}. */
  boolean check(long now) {
    if (protection.hasMinimumSize()) {
      if (since >= 0) {
        LOG.warning("back with the cluster's majority after " + Duration.ofNanos(now - since).toMillis() + " ms");
      }
      since = -1;
      return false;
    }
    if (since < 0) {
      since = now;
      LOG.warning("cut off from the cluster's majority (fewer members than minClusterSize): writes are refused;"
          + " this node exits if it is not merged back within " + timeout);
      return false;
    }
    if (now - since < timeout.toNanos()) {
      return false;
    }
    LOG.severe("still cut off from the cluster's majority after " + timeout + ": exiting (status " + EXIT_STATUS
        + ") to be started afresh, which joins the cluster again");
    return true;
  }
}
