package io.orderbus.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What one client can hold of the gateway's HTTP server, beyond the idle timeout Vert.x applies itself:
 *
 * <ul>
 *   <li>At most {@link GatewayLimits#maxConnections()} connections open: one more is closed as it opens, before
 *       it can send a byte, so the connections already open (and the orders on them) keep their share.</li>
 *   <li>A deadline for a request's headers: {@link GatewayLimits#headerTimeout()} from the connection opening,
 *       {@link GatewayLimits#nextRequestDeadline()} from the previous response ending (a kept-alive connection may
 *       first wait for its next request). A client that has not sent all its headers by then is disconnected. The
 *       idle timeout alone would not do: a client that sends one byte a second is never idle.</li>
 *   <li>Every answer says {@code Keep-Alive: timeout=}{@link GatewayLimits#advertisedKeepAlive()}, shorter than
 *       the idle timeout, so that a client's pool drops an idle connection before the server closes it: a
 *       request sent on a connection the server is closing at that moment would get no answer.</li>
 *   <li>A deadline for a request's body, {@link GatewayLimits#bodyTimeout()} from its headers: a body still
 *       incomplete then is answered {@code 408 REQUEST_TIMEOUT} and the connection closed (what is left of that
 *       body could not be told from a next request).</li>
 * </ul>
 *
 * <p>Runs on the gateway verticle's event loop only (the server's connection and request handlers share it),
 * so the bookkeeping needs no locks.
 */
final class ConnectionLimits implements Handler<RoutingContext> {
  private static final String KEEP_ALIVE = "Keep-Alive";
  private final Vertx vertx;
  private final GatewayLimits limits;
  /** Each open connection, with its headers deadline (armed while it waits for a request). */
  private final Map<HttpConnection, Deadline> open = new IdentityHashMap<>();
  private final Counter refused;
  private final Counter slowHeaders;
  private final Counter slowBody;
  private final String keepAlive;

  ConnectionLimits(Vertx vertx, GatewayLimits limits, MeterRegistry meters) {
    this.vertx = vertx;
    this.limits = limits;
    Gauge.builder("orderbus.http.connections", open, Map::size).description("gateway connections open")
        .register(meters);
    this.refused = cut(meters, "limit");
    this.slowHeaders = cut(meters, "headers");
    this.slowBody = cut(meters, "body");
    this.keepAlive = "timeout=" + limits.advertisedKeepAlive().toSeconds();
  }

  private static Counter cut(MeterRegistry meters, String reason) {
    return Counter.builder("orderbus.http.connections.cut")
        .description("gateway connections closed by a limit: over the cap, headers or body too slow")
        .tag("reason", reason).register(meters);
  }

  /** For the server's connection handler: counts a connection in, or closes it if the cap is reached. */
  void accept(HttpConnection connection) {
    if (open.size() >= limits.maxConnections()) {
      refused.increment();
      connection.close();
      return;
    }
    Deadline headers = new Deadline(connection);
    open.put(connection, headers);
    connection.closeHandler(v -> {
      Deadline gone = open.remove(connection);
      if (gone != null) {
        gone.cancel();
      }
    });
    headers.arm(limits.headerTimeout());
  }

  /** The first handler of every request: its headers came in time, and its body now has a deadline. */
  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    ctx.response().putHeader(KEEP_ALIVE, keepAlive);
    Deadline headers = open.get(connection);
    if (headers != null) {
      headers.cancel();
      ctx.addEndHandler(ended -> {
        if (open.get(connection) == headers) {
          headers.arm(limits.nextRequestDeadline());
        }
      });
    }
    if (hasBody(request)) {
      long timer = vertx.setTimer(limits.bodyTimeout().toMillis(), t -> {
        if (!request.isEnded()) {
          slowBody.increment();
          refuseSlowBody(ctx.response(), connection);
        }
      });
      ctx.addEndHandler(ended -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }

  private void refuseSlowBody(HttpServerResponse response, HttpConnection connection) {
    Responses.errorThenClose(response, connection, new HttpError(408, "REQUEST_TIMEOUT",
        "the request body did not arrive within " + limits.bodyTimeout().toMillis() + " ms"));
  }

  /** A body is coming when the request says so; one without (most GETs) needs no deadline of its own. */
  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.equals("0"));
  }

  /** A connection's deadline for the headers of its next request. */
  private final class Deadline {
    private final HttpConnection connection;
    private long timer = -1;

    Deadline(HttpConnection connection) {
      this.connection = connection;
    }

    void arm(Duration deadline) {
      cancel();
      timer = vertx.setTimer(deadline.toMillis(), t -> {
        timer = -1;
        slowHeaders.increment();
        connection.close();
      });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
