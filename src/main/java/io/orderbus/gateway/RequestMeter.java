package io.orderbus.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times every request from arrival to the end of its response, per method, route pattern (not the
 * path: one series for all order ids) and status. Every label has a bounded set of values, whatever clients
 * send: a method outside HTTP's standard ones is {@code OTHER} (HTTP lets a client make up any method name,
 * and each would be a new series), a path no route takes is {@code unmatched}. The buckets span the two order paths: an async
 * {@code 202} in milliseconds, a sync {@code 201} waiting on two services, a {@code 504} after its timeout.
 */
final class RequestMeter implements Handler<RoutingContext> {
  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** RFC 9110's methods and PATCH: the method label takes these values, or OTHER. */
  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  RequestMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> {
      String method = methodOf(ctx);
      int status = ctx.response().getStatusCode();
      String route = routeOf(ctx, status);
      timers.computeIfAbsent(method + " " + route + " " + status, key -> Timer.builder("orderbus.http.server.requests")
              .description("gateway requests, from arrival to the end of the response")
              .tags("method", method, "route", route, "status", String.valueOf(status))
              .serviceLevelObjectives(BUCKETS)
              .register(registry))
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    });
    ctx.next();
  }

  private static String methodOf(RoutingContext ctx) {
    String method = ctx.request().method().name();
    return STANDARD_METHODS.contains(method) ? method : "OTHER";
  }

  private static String routeOf(RoutingContext ctx, int status) {
    Route route = ctx.currentRoute();
    String path = route == null ? null : route.getPath();
    if (path == null || path.equals("/")) {
      // Only this meter's catch-all matched: no route of ours took the request.
      return status == 404 ? "unmatched" : "other";
    }
    return path;
  }
}
