package io.orderbus.order;

import io.orderbus.email.EmailContract;
import io.orderbus.messaging.Replies;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.orderbus.messaging.ServiceFailure;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One circuit breaker per service the sync path waits on (inventory, email), per order node. After
 * {@code maxFailures} outages within a rolling window the circuit opens: sync orders then fail at once
 * ({@code 503 CIRCUIT_OPEN}) instead of each waiting out a timeout, and the service is not asked at all;
 * after {@code resetTimeout} one request is let through, and the circuit closes if it succeeds.
 *
 * <p>An outage is no answer in time, no handler, an internal error, or an SMTP failure. A domain answer
 * such as out of stock is the service working, and does not count.
 */
final class SyncCircuits {
  private static final Set<Integer> OUTAGE_CODES = Set.of(Replies.INTERNAL_ERROR, EmailContract.SMTP_FAILED);

  /** Settings of both circuits. */
  record Settings(int maxFailures, Duration resetTimeout) {
  }

  private final CircuitBreaker inventory;
  private final CircuitBreaker email;
  private final Settings settings;

  SyncCircuits(Vertx vertx, Settings settings) {
    this.settings = settings;
    this.inventory = create(vertx, "inventory", settings);
    this.email = create(vertx, "email", settings);
  }

  Duration resetTimeout() {
    return settings.resetTimeout();
  }

  <T> Future<T> inventory(Supplier<Future<T>> request) {
    return inventory.execute(request);
  }

  <T> Future<T> email(Supplier<Future<T>> request) {
    return email.execute(request);
  }

  private static CircuitBreaker create(Vertx vertx, String service, Settings settings) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(settings.maxFailures())
        .setResetTimeout(settings.resetTimeout().toMillis())
        // Each request carries its own timeout; the breaker only counts.
        .setTimeout(-1)
        // State changes are not announced on the (clustered) event bus.
        .setNotificationAddress(null);
    return CircuitBreaker.create("sync-" + service, vertx, options).failurePolicy(SyncCircuits::isOutage);
  }

  private static boolean isOutage(Future<?> outcome) {
    if (outcome.succeeded()) {
      return false;
    }
    // A refusal is the service working, unless it is one of the outage codes; anything else (no answer in time,
    // nobody serving the address) is an outage.
    return !(outcome.cause() instanceof ServiceFailure refused) || OUTAGE_CODES.contains(refused.code());
  }
}
