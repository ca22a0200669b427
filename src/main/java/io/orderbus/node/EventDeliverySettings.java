package io.orderbus.node;

import io.orderbus.messaging.Backoff;
import io.orderbus.messaging.DeliverySettings;

import java.time.Duration;
import java.util.Map;

/**
 * How events are delivered between services: the mode, and the tuning of durable delivery (what each field
 * means is on {@link DeliverySettings}). The tuning's ranges are checked by {@link #durable()}, when a node starts
 * durable delivery, as a bare node never uses them.
 *
 * @param groupPrefetch per consumer group, a credit other than {@code prefetch}
 */
public record EventDeliverySettings(DeliveryMode mode, int prefetch, Map<String, Integer> groupPrefetch,
                                    int consumerConcurrency, Duration handlerTimeout, Duration lease, int maxAttempts,
                                    Duration retryBackoff, Duration retryBackoffMax, Duration deadLetterAfter,
                                    Duration redeliveryInterval, int maxBacklog) {

  public EventDeliverySettings {
    groupPrefetch = Map.copyOf(groupPrefetch);
  }

  static EventDeliverySettings read(SettingsReader in) {
    return new EventDeliverySettings(in.oneOf("delivery", DeliveryMode.class), in.number("prefetch"),
        in.numbersByGroup("groupPrefetch"), in.number("consumerConcurrency"), in.duration("handlerTimeout"),
        in.duration("deliveryLease"), in.number("maxAttempts"), in.duration("retryBackoff"),
        in.duration("retryBackoffMax"), in.duration("deadLetterAfter"), in.duration("redeliveryInterval"),
        in.number("maxBacklog"));
  }

  /** The tuning as durable delivery takes it; refused (naming the setting) if out of range. */
  public DeliverySettings durable() {
    try {
      return new DeliverySettings(prefetch, groupPrefetch, consumerConcurrency, handlerTimeout, lease, maxAttempts,
          new Backoff(retryBackoff, retryBackoffMax), deadLetterAfter, redeliveryInterval, maxBacklog);
    } catch (IllegalArgumentException e) {
      throw new NodeConfig.InvalidConfigException(e.getMessage());
    }
  }
}
