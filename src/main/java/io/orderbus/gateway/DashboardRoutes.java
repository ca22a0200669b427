package io.orderbus.gateway;

import io.orderbus.messaging.DeliveryAdmin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Duration;

/**
 * The dashboard's routes: the page at {@code GET /}, its files at {@code GET /dashboard/*} (from {@code webroot/} in
 * the jar, vendored uPlot included), and its live data at {@code GET /dashboard/events}. The page and its files hold
 * no data and answer anyone; the events are operator data and need the admin token, which the caller's guard checks
 * before these routes are reached (the page sends it as {@code Authorization: Bearer}, see {@code dashboard.js}).
 * Every other method on these paths is {@code 405}: the dashboard acts through the REST API only.
 */
final class DashboardRoutes {
  /** The path of the live data; an operator path. */
  static final String EVENTS = "/dashboard/events";

  /**
   * Only the page's own files, no inline script or style, and requests only back to this gateway: an order's
   * fields, shown on the page, can never become code.
   */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** How often the cluster is read and sent: the charts' resolution. */
  private static final Duration TICK = Duration.ofSeconds(1);
  /** How often the orders that changed are sent: live to the eye, a few frames a second under any load. */
  private static final Duration FLUSH = Duration.ofMillis(250);

  private DashboardRoutes() {
  }

  /**
   * Mounts the routes on {@code router}; the stream writes a keep-alive comment every {@code keepAlive}, and its
   * count is the gauge {@code orderbus.http.dashboard.streams}.
   */
  static void mount(Router router, Vertx vertx, ClusterView cluster, DeliveryAdmin delivery, Duration keepAlive,
                    MeterRegistry meters) {
    DashboardStreams streams = new DashboardStreams(vertx, new DashboardFeed(vertx, cluster, delivery, TICK, FLUSH),
        keepAlive, DashboardStreams.MAX_STREAMS);
    Gauge.builder("orderbus.http.dashboard.streams", streams, DashboardStreams::open)
        .description("/dashboard/events streams open on this gateway").register(meters);
    // Caching off: the answer keeps the gateway's Cache-Control: no-store, and a new jar's page is never mixed with
    // an old one's script. Ranges off: the files are small, and a range past the end would be answered 416 in
    // Vert.x's words rather than as one of the gateway's JSON errors.
    StaticHandler files = StaticHandler.create("webroot").setCachingEnabled(false).setEnableRangeSupport(false)
        .setDirectoryListing(false).setIncludeHidden(false);
    router.get(EVENTS).handler(streams::open);
    router.get("/").handler(DashboardRoutes::page).handler(files);
    router.get("/dashboard/*").handler(DashboardRoutes::page).handler(files);
  }

  private static void page(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
