package io.orderbus.messaging;

import io.vertx.core.Future;

/**
 * Handles one event for a group. A succeeded future acknowledges the event; a failed one has it retried
 * with backoff, and after {@code maxAttempts} moved to the dead letters. The same event may arrive more
 * than once (at least once): effects must be idempotent by {@link Event#id()}.
 */
@FunctionalInterface
public interface EventHandler {
  Future<Void> handle(Event event);
}
