package io.orderbus.gateway;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

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

  private DashboardRoutes() {
  }

  static void mount(Router router, DashboardStreams streams) {
    // Caching off: the answer keeps the gateway's Cache-Control: no-store, and a new jar's page is never mixed with
    // an old one's script.
    StaticHandler files = StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false)
        .setIncludeHidden(false);
    router.get(EVENTS).handler(streams::open);
    router.get("/").handler(DashboardRoutes::page).handler(files);
    router.get("/dashboard/*").handler(DashboardRoutes::page).handler(files);
  }

  private static void page(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
