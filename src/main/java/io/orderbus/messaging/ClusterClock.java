package io.orderbus.messaging;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.Clock;

import java.util.function.LongSupplier;

/**
 * The time the JVMs of one cluster agree on, for every time that one JVM stores and another compares:
 * an event's {@code publishedAt} and {@code nextAttemptAt} (a retry or a delayed delivery, due on whichever
 * node holds the entry by then), a first failure's age, a dead letter's date, a claim's or a mark's age.
 * Each JVM's own wall clock would mix machines: a node 10 s ahead would store retries that an adopter
 * makes wait 10 s more, and would take over other nodes' claims 10 s early.
 *
 * <p>Contract of {@link #now()}: epoch milliseconds, Hazelcast's cluster time ({@code Cluster.getClusterTime()}):
 * this JVM's wall clock plus the offset Hazelcast keeps to the master's clock (set when the member joins,
 * corrected with every heartbeat from the master). So it is as cheap as {@link System#currentTimeMillis()},
 * agrees between members to within a network hop, and is not monotonic: it may step by the correction
 * when a clock is adjusted or the master changes. Durations measured within one JVM (timers, leases a node
 * keeps only in its own memory) belong on the local clock, never compared with a time from this one.
 */
public final class ClusterClock {
  /**
   * The system property Hazelcast's own clock adds, in milliseconds, to this JVM's wall clock; read once,
   * when Hazelcast's {@code Clock} class loads. Only the test-only {@code clockSkew} node setting sets it.
   */
  public static final String OFFSET_PROPERTY = "com.hazelcast.clock.offset";

  private final LongSupplier source;

  private ClusterClock(LongSupplier source) {
    this.source = source;
  }

  /** The cluster time of the cluster {@code hazelcast} is a member of. */
  public static ClusterClock of(HazelcastInstance hazelcast) {
    Cluster cluster = hazelcast.getCluster();
    return new ClusterClock(cluster::getClusterTime);
  }

  /**
   * This JVM's wall clock as Hazelcast reads it (skewed by {@link #OFFSET_PROPERTY}), for a service that runs
   * outside any cluster (tests of one service alone): with no other JVM there is nothing to agree with.
   */
  public static ClusterClock local() {
    return new ClusterClock(Clock::currentTimeMillis);
  }

  /** By how much this JVM's wall clock, as Hazelcast reads it, is ahead of the operating system's, in ms. */
  public static long localSkewMillis() {
    return Clock.currentTimeMillis() - System.currentTimeMillis();
  }

  /** Epoch milliseconds, in the cluster's time. */
  public long now() {
    return source.getAsLong();
  }
}
