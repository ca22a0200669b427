package io.orderbus.messaging;

import java.time.Duration;
import java.util.Map;

/**
 * Tuning of durable delivery.
 *
 * @param prefetch            events one member of a group may hold unacknowledged (its credit), unless the
 *                            group has its own figure in {@code groupPrefetch}
 * @param groupPrefetch       per group, a credit other than {@code prefetch}
 * @param consumerConcurrency events one member handles at once; the rest of what it holds waits its turn
 * @param handlerTimeout      a handler still running after this long counts as one failed attempt
 * @param lease               how long a dispatcher waits without a word from a member about an event it
 *                            handed over before it checks whether the event is still pending; members
 *                            renew the lease of what they hold every third of it
 * @param maxAttempts         failed attempts before an event may become a dead letter
 * @param backoff             delay between attempts, growing to its maximum
 * @param deadLetterAfter     time since the first failure before an event may become a dead letter
 * @param orphanScanInterval  how often, after a node left, each node looks for entries that node held
 * @param maxBacklog          pending events a group may have before producers are refused
 */
public record DeliverySettings(int prefetch, Map<String, Integer> groupPrefetch, int consumerConcurrency,
                               Duration handlerTimeout, Duration lease, int maxAttempts, Backoff backoff,
                               Duration deadLetterAfter, Duration orphanScanInterval, int maxBacklog) {

  public DeliverySettings {
    groupPrefetch = Map.copyOf(groupPrefetch);
    if (prefetch < 1 || groupPrefetch.values().stream().anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException("prefetch must be at least 1");
    }
    if (consumerConcurrency < 1) {
      throw new IllegalArgumentException("consumerConcurrency must be at least 1");
    }
  }

  /** The credit of one member of {@code group}. */
  public int prefetchOf(String group) {
    return groupPrefetch.getOrDefault(group, prefetch);
  }

  /** An event counts as a dead letter once both limits are past, or at once when its handler says so. */
  boolean givesUp(int attempts, long firstFailureAt, long now, boolean permanent) {
    return permanent || (attempts >= maxAttempts && now - firstFailureAt >= deadLetterAfter.toMillis());
  }
}
