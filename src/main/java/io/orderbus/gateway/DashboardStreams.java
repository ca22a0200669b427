package io.orderbus.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.orderbus.gateway.Responses.error;

/**
 * {@code GET /dashboard/events}: the dashboard's live data as server-sent events, outbound only (the dashboard acts
 * through the REST API). Every stream gets the frames of one shared {@link DashboardFeed}, which runs only while at
 * least one stream is open, and a {@code : keep-alive} comment every {@code keepAlive}, so that neither the idle
 * timeout nor a proxy closes a stream on a quiet cluster.
 *
 * <p>At most {@code maxStreams} are open on this node at once; one more is refused with {@code 503
 * TOO_MANY_STREAMS} and {@code Retry-After}. A stream whose client does not keep up (its write queue full) misses
 * frames rather than making the gateway hold them: the next cluster frame replaces the last anyway.
 *
 * <p>Runs on the gateway verticle's event loop only, so the bookkeeping needs no locks.
 */
final class DashboardStreams {
  /** Dashboards one node serves at once: an operator's tool, a handful of screens. */
  static final int MAX_STREAMS = 8;
  private static final int RETRY_AFTER_S = 5;

  private final Vertx vertx;
  private final DashboardFeed feed;
  private final Duration keepAlive;
  private final int maxStreams;
  private final Set<HttpServerResponse> open = new LinkedHashSet<>();
  private long keepAliveTimer = -1;

  DashboardStreams(Vertx vertx, DashboardFeed feed, Duration keepAlive, int maxStreams) {
    this.vertx = vertx;
    this.feed = feed;
    this.keepAlive = keepAlive;
    this.maxStreams = maxStreams;
  }

  /** Streams open on this node now. */
  int open() {
    return open.size();
  }

  /** Opens a stream, or answers {@code 503 TOO_MANY_STREAMS} when this node has {@code maxStreams} open. */
  void open(RoutingContext ctx) {
    if (open.size() >= maxStreams) {
      error(ctx, new HttpError(503, "TOO_MANY_STREAMS", "this node has " + maxStreams
          + " dashboard streams open, its most; try again shortly or another gateway", null, RETRY_AFTER_S));
      return;
    }
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
    open.add(response);
    response.closeHandler(v -> close(response));
    if (open.size() == 1) {
      feed.start(this::broadcast);
      keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), t -> broadcast(": keep-alive\n\n"));
    } else if (feed.lastCluster() != null) {
      send(response, feed.lastCluster());
    }
  }

  private void broadcast(String frame) {
    List.copyOf(open).forEach(response -> send(response, frame));
  }

  private static void send(HttpServerResponse response, String frame) {
    if (!response.writeQueueFull()) {
      response.write(frame);
    }
  }

  private void close(HttpServerResponse response) {
    if (open.remove(response) && open.isEmpty()) {
      vertx.cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
      feed.stop();
    }
  }
}
