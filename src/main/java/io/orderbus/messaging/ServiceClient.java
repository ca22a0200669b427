package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.Function;

/**
 * The caller's side of a service on the event bus: sends a request as JSON, reads the reply into its record, and
 * turns what can go wrong into typed exceptions: {@link ServiceFailure} when the service refused (its code and
 * details), {@link ServiceUnreachable} when nobody serves the address or no answer came in time. The request carries
 * the current {@link Trace} id, so the service's work goes by the same id. Each service's
 * typed client ({@code InventoryClient}, ...) is a few lines over this.
 */
public final class ServiceClient {
  private final Vertx vertx;
  private final String service;
  private final Duration timeout;

  /** @param service the service's name as errors show it ({@code inventory}, {@code email}, ...) */
  public ServiceClient(Vertx vertx, String service, Duration timeout) {
    this.vertx = vertx;
    this.service = service;
    this.timeout = timeout;
  }

  public String service() {
    return service;
  }

  public <T> Future<T> ask(String address, JsonObject request, Function<JsonObject, T> reply) {
    return ask(address, request, reply, timeout);
  }

  /** As {@link #ask(String, JsonObject, Function)}, waiting {@code wait} rather than the client's timeout. */
  public <T> Future<T> ask(String address, JsonObject request, Function<JsonObject, T> reply, Duration wait) {
    DeliveryOptions options = Trace.options(new DeliveryOptions().setSendTimeout(wait.toMillis()));
    return vertx.eventBus().<JsonObject>request(address, request, options)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(reply.apply(ar.result().body()))
            : Future.failedFuture(typed(ar.cause(), service, wait)));
  }

  /**
   * What a request to {@code service} that failed with {@code failure} means: a {@link ServiceFailure} for a refusal,
   * a {@link ServiceUnreachable} for no handler or no answer within {@code wait}; anything else as it is.
   */
  public static Throwable typed(Throwable failure, String service, Duration wait) {
    if (!(failure instanceof ReplyException re)) {
      return failure;
    }
    return switch (re.failureType()) {
      case RECIPIENT_FAILURE -> ServiceFailure.of(re);
      case NO_HANDLERS -> new ServiceUnreachable(service, false, service + " service is not running (no handler on the event bus)");
      case TIMEOUT -> new ServiceUnreachable(service, true, service + " service did not answer within " + wait.toMillis() + " ms");
      default -> failure;
    };
  }
}
