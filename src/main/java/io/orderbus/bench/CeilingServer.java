package io.orderbus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of the accept path on this machine: a bare vertx-web server that reads a {@code POST /orders}
 * body as the gateway does and answers {@code 202} with a small JSON body at once, with no event bus and no
 * cluster behind it. Driven by the same open loop at the same rate, it shows how much of an accept latency
 * is HTTP, loopback, the generator and the machine's scheduling rather than orderbus.
 *
 * <p>It runs in the benchmark's JVM but on a Vert.x of its own (one event loop, as the gateway's one
 * verticle has), so that it does not share the generator's event loop.
 */
final class CeilingServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private CeilingServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Listens on a free loopback port. Call from outside Vert.x: it waits for the server. */
  static CeilingServer start() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    router.post("/orders").handler(BodyHandler.create(false)).handler(ctx -> {
      // Parsed, as the gateway does, so that the ceiling does not skip the work every request needs.
      JsonObject order;
      try {
        order = ctx.body().asJsonObject();
      } catch (DecodeException e) {
        order = null;
      }
      ctx.response().setStatusCode(order == null ? 400 : 202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("id", UUID.randomUUID().toString()).put("status", "ACCEPTED").encode());
    });
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(30, TimeUnit.SECONDS);
    return new CeilingServer(vertx, server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
