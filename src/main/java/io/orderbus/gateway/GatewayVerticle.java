package io.orderbus.gateway;

import io.orderbus.email.EmailApi;
import io.orderbus.email.EmailContract.ListEmails;
import io.orderbus.email.EmailContract.SentPage;
import io.orderbus.inventory.InventoryApi;
import io.orderbus.inventory.InventoryContract.StockLevel;
import io.orderbus.messaging.DeadLetter;
import io.orderbus.messaging.DeliveryAdmin;
import io.orderbus.messaging.Hops;
import io.orderbus.messaging.PageCursor;
import io.orderbus.messaging.PendingEvent;
import io.orderbus.order.Order;
import io.orderbus.order.OrderApi;
import io.orderbus.order.OrderMode;
import io.orderbus.order.OrderContract.PlaceOrder;
import io.orderbus.user.UserApi;
import io.orderbus.user.UserContract.User;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import static io.orderbus.gateway.Responses.error;
import static io.orderbus.gateway.Responses.json;

/**
 * Role {@code gateway}: REST in front of the event bus. It parses HTTP, asks a service, and turns the
 * answer into a status; every business rule lives in the services.
 *
 * <p>Two faces on one port: the public API (orders, sign-up, stock reads, health) answers anyone; the operator API
 * (stock writes, sent mail, the cluster view, metrics, {@code /admin/*}) only a request with the admin token.
 */
public final class GatewayVerticle extends VerticleBase {
  /** Largest request body accepted; larger ones get 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** Longest request line (method, path, query, version) read; a longer one gets 414. */
  public static final int MAX_LINE_BYTES = 4096;
  /** Largest header section read; a larger one gets 431. */
  public static final int MAX_HEADER_BYTES = 8192;
  /**
   * Paths of the operator API under any method (a stranger learns nothing of which methods they take); besides
   * these, {@code PUT /inventory/{sku}} (the stock write; reading stock is public).
   */
  private static final List<String> OPERATOR_PATHS = List.of("/emails", "/cluster", "/metrics", "/admin/*",
      DashboardRoutes.EVENTS);

  private final String host;
  private final int port;
  private final Duration requestTimeout;
  private final ClusterView cluster;
  private final DeliveryAdmin delivery;
  private final OperatorToken operatorToken;
  private final Duration streamRefresh;
  private final MeterRegistry meters;
  private final GatewayLimits limits;
  private HttpServer server;

  public GatewayVerticle(String host, int port, Duration requestTimeout, ClusterView cluster, DeliveryAdmin delivery,
                         String adminToken, Duration streamRefresh, MeterRegistry meters, GatewayLimits limits) {
    this.host = host;
    this.port = port;
    this.requestTimeout = requestTimeout;
    this.cluster = cluster;
    this.delivery = delivery;
    this.operatorToken = new OperatorToken(adminToken);
    this.streamRefresh = streamRefresh;
    this.meters = meters;
    this.limits = limits;
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ConnectionLimits connections = new ConnectionLimits(vertx, limits, meters);
    // The order service waits for inventory and email in turn on the sync path: a placement allows for both.
    OrderApi orders = OrderApi.client(vertx, requestTimeout, placeTimeout());
    InventoryApi inventory = InventoryApi.client(vertx, requestTimeout);
    EmailApi emails = EmailApi.client(vertx, requestTimeout);
    UserApi users = UserApi.client(vertx, requestTimeout);
    OrderStreams streams = new OrderStreams(vertx, orders, streamRefresh, limits.keepAlive(streamRefresh),
        limits.maxOrderStreams());
    Gauge.builder("orderbus.http.order.streams", streams, OrderStreams::open)
        .description("/orders/{id}/events streams open on this gateway").register(meters);
    // Before anything can answer, so that every answer, errors included, carries them.
    router.route().handler(ctx -> {
      SecurityHeaders.apply(ctx.response());
      ctx.next();
    });
    router.route().handler(new RequestTrace());
    router.route().handler(connections);
    router.route().handler(new RequestMeter(meters));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    // The operator API asks for the token first: before a body is read, and before Vert.x Web matches the content
    // type (so a stranger's PUT in any form is 401, not 415).
    OPERATOR_PATHS.forEach(path -> router.route(path).handler(this::requireOperator));
    router.put("/inventory/:sku").handler(this::requireOperator);

    router.post("/orders").consumes("application/json").handler(body).handler(ctx -> placeOrder(ctx, orders));
    router.get("/orders/:id/events").handler(streams::open);
    router.get("/orders/:id").handler(ctx -> answer(ctx, "order", orders.get(ctx.pathParam("id")).map(Order::toJson), 200));
    router.get("/inventory/:sku").handler(ctx -> answer(ctx, "inventory",
        inventory.level(ctx.pathParam("sku")).map(StockLevel::toJson), 200));
    router.put("/inventory/:sku").consumes("application/json").handler(body).handler(ctx -> withJsonObject(ctx, json ->
        answer(ctx, "inventory", inventory.set(ctx.pathParam("sku"), json).map(StockLevel::toJson), 200)));
    router.get("/emails").handler(ctx -> {
      PageRequest page = PageRequest.of(ctx);
      if (page != null) {
        answer(ctx, "email", emails.list(new ListEmails(ctx.queryParams().get("to"), page.limit(), page.token()))
            .map(SentPage::toJson), 200);
      }
    });
    router.post("/users").consumes("application/json").handler(body).handler(ctx -> withJsonObject(ctx, json ->
        answer(ctx, "user", users.signUp(json).map(User::toJson), 201)));
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP").put("node", cluster.nodeName())));
    router.get("/ready").handler(ctx -> json(ctx, cluster.ready() ? 200 : 503,
        new JsonObject().put("ready", cluster.ready()).put("node", cluster.nodeName())));
    router.get("/cluster").handler(ctx -> cluster.describe().onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else {
        error(ctx, ErrorMapping.of(ar.cause(), "cluster"));
      }
    }));
    router.get("/metrics").handler(ctx -> cluster.metrics().onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        error(ctx, ErrorMapping.of(ar.cause(), "metrics"));
      }
    }));
    router.get("/admin/dead-letters").handler(ctx -> list(ctx, "deadLetters", delivery::deadLetters, DeadLetter::toJson,
        DeadLetter::cursor));
    router.get("/admin/pending").handler(ctx -> list(ctx, "pending", delivery::pending, PendingEvent::toJson,
        PendingEvent::cursor));
    router.post("/admin/dead-letters/:id/replay").handler(ctx -> delivery.replay(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, new JsonObject().put("replayed", ar.result().toJson()));
      } else {
        error(ctx, ErrorMapping.of(ar.cause(), "messaging"));
      }
    }));
    DashboardRoutes.mount(router, vertx, cluster, delivery, limits.keepAlive(streamRefresh), meters);
    // Unmatched requests: Vert.x Web decides 404, 405 (path known, method not) or 415 (wrong content type).
    router.errorHandler(400, ctx -> error(ctx, new HttpError(400, "BAD_REQUEST", "the request could not be read")));
    router.errorHandler(404, ctx -> error(ctx, new HttpError(404, "NOT_FOUND",
        "no route " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> error(ctx, new HttpError(405, "METHOD_NOT_ALLOWED",
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(413, ctx -> error(ctx, new HttpError(413, "PAYLOAD_TOO_LARGE",
        "the body is larger than " + MAX_BODY_BYTES + " bytes")));
    router.errorHandler(415, ctx -> error(ctx, new HttpError(415, "UNSUPPORTED_MEDIA_TYPE",
        "send the body as Content-Type: application/json")));
    router.errorHandler(500, ctx -> error(ctx, new HttpError(500, "INTERNAL_ERROR", "unexpected failure")));

    HttpServerOptions options = new HttpServerOptions()
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(MAX_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES)
        // HTTP/1.1 only: an h2c upgrade would multiplex requests on one connection, past the limits above.
        .setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options)
        .connectionHandler(connections::accept)
        .invalidRequestHandler(MalformedRequests::answer)
        .requestHandler(router);
    return server.listen(port, host);
  }

  private Duration placeTimeout() {
    return requestTimeout.multipliedBy(3).plusSeconds(1);
  }

  private void placeOrder(RoutingContext ctx, OrderApi orders) {
    String mode = ctx.queryParams().get("mode");
    List<String> keys = ctx.request().headers().getAll("Idempotency-Key");
    if (keys.size() > 1) {
      // Which one would stand for the request? Intermediaries differ; refuse rather than guess.
      error(ctx, new HttpError(400, "INVALID_IDEMPOTENCY_KEY", "send one Idempotency-Key header, not " + keys.size()));
      return;
    }
    withJsonObject(ctx, json -> {
      // Past the deadline the client has its 504 and may retry elsewhere: the order service must not start placing then.
      PlaceOrder request = new PlaceOrder(json, mode, ctx.request().getHeader("Idempotency-Key"),
          cluster.clusterTime() + placeTimeout().toMillis());
      orders.place(request).onComplete(ar -> {
        if (ar.failed()) {
          error(ctx, ErrorMapping.of(ar.cause(), "order"));
          return;
        }
        Order order = ar.result();
        ctx.response().putHeader(HttpHeaders.LOCATION, "/orders/" + order.id());
        boolean sync = order.mode() == OrderMode.SYNC;
        json(ctx, sync ? 201 : 202, order.toJson());
        Hops.log(order.id(), sync ? "answered 201" : "answered 202");
      });
    });
  }

  /**
   * An admin list, a page at a time: at most {@code ?limit=} items under {@code field}, after the page token
   * {@code ?after=}, and {@code next}, the token of the following page (null on the last).
   */
  private <T> void list(RoutingContext ctx, String field, BiFunction<Integer, PageCursor, Future<List<T>>> query,
                        Function<T, JsonObject> toJson, Function<T, PageCursor> cursorOf) {
    PageRequest page = PageRequest.of(ctx);
    if (page == null) {
      return;
    }
    query.apply(page.limit() + 1, page.after()).onComplete(ar -> {
      if (ar.succeeded()) {
        PageCursor.Page<T> items = PageCursor.page(ar.result(), page.limit(), cursorOf);
        json(ctx, 200, new JsonObject().put(field, new JsonArray(items.items().stream().map(toJson).toList()))
            .put("next", items.next()));
      } else {
        error(ctx, ErrorMapping.of(ar.cause(), "messaging"));
      }
    });
  }

  /** The operator API's guard: 401 (with {@code WWW-Authenticate: Bearer}) without a bearer token, 403 with a wrong one. */
  private void requireOperator(RoutingContext ctx) {
    switch (operatorToken.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      case MISSING -> {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        error(ctx, new HttpError(401, "UNAUTHORIZED", "send Authorization: Bearer <admin token>"));
      }
      case WRONG -> error(ctx, new HttpError(403, "FORBIDDEN", "the admin token is wrong"));
      case RIGHT -> ctx.next();
    }
  }

  /** Answers {@code status} with the service's reply, or the error its failure maps to. */
  private void answer(RoutingContext ctx, String service, Future<JsonObject> reply, int status) {
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        error(ctx, ErrorMapping.of(ar.cause(), service));
      }
    });
  }

  /** Parses the body as one JSON object, or answers 400 itself. */
  private void withJsonObject(RoutingContext ctx, java.util.function.Consumer<JsonObject> then) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      error(ctx, new HttpError(400, "MALFORMED_JSON", "the body is empty; send a JSON object"));
      return;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(raw);
    } catch (DecodeException e) {
      error(ctx, new HttpError(400, "MALFORMED_JSON", "the body is not valid JSON"));
      return;
    }
    if (!(parsed instanceof JsonObject object)) {
      error(ctx, new HttpError(400, "INVALID_REQUEST", "the body must be a JSON object"));
      return;
    }
    then.accept(object);
  }
}
