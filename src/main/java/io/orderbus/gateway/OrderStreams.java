package io.orderbus.gateway;

import io.orderbus.order.Order;
import io.orderbus.order.OrderApi;
import io.orderbus.order.OrderContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orderbus.gateway.Responses.error;

/**
 * {@code GET /orders/{id}/events}: server-sent events of one order's changes, fed by the live
 * {@link OrderContract#STATUS} publications that reach this gateway.
 *
 * <p>Each event is the whole order; its SSE id is the length of the order's timeline, which only grows, so
 * a repeated or late publication is skipped and a client that reconnects with {@code Last-Event-ID} gets
 * only what is newer (an id beyond the order's timeline is not one this stream sent: the client gets the
 * order from the start). Live publication is at most once, so every {@code refresh} interval the stream
 * also re-reads the order: a lost publication delays a change, it never hides it. Every {@code keepAlive}
 * it writes a comment, so that neither the gateway's idle timeout nor a proxy closes a stream with nothing
 * new to say. The stream ends once the order is settled, whatever {@code Last-Event-ID} said; a client that
 * reconnects after that with the last id it saw gets {@code 204}, which tells an EventSource to stop.
 *
 * <p>Each stream holds a connection for as long as its order takes: at most {@code maxStreams} are open on
 * this node at once, and one more is refused with {@code 503 TOO_MANY_STREAMS} and {@code Retry-After}.
 *
 * <p>The gateway listens to those publications only while it has a stream open, so that a gateway nobody
 * watches through is not sent every order's every change. Runs on the gateway verticle's event loop
 * only: the consumer and the HTTP handlers share it, so the bookkeeping needs no locks.
 */
final class OrderStreams {
  private static final int STREAM_RETRY_AFTER_S = 5;

  private final Vertx vertx;
  private final OrderApi orders;
  private final Duration refresh;
  private final Duration keepAlive;
  private final int maxStreams;
  private final Map<String, List<Stream>> byOrder = new HashMap<>();
  /** Streams open or being opened on this node. */
  private int open;
  private MessageConsumer<String> consumer;
  private Future<Void> listening;

  OrderStreams(Vertx vertx, OrderApi orders, Duration refresh, Duration keepAlive, int maxStreams) {
    this.vertx = vertx;
    this.orders = orders;
    this.refresh = refresh;
    this.keepAlive = keepAlive;
    this.maxStreams = maxStreams;
  }

  /** Streams open or being opened on this node now. */
  int open() {
    return open;
  }

  /** Listens to the live status publications; completes once the cluster knows this gateway listens. */
  private Future<Void> listen() {
    if (listening == null) {
      consumer = vertx.eventBus().consumer(OrderContract.STATUS, message -> {
        JsonObject order = new JsonObject(message.body());
        List<Stream> streams = byOrder.get(order.getString("id"));
        if (streams != null) {
          List.copyOf(streams).forEach(stream -> stream.offer(order));
        }
      });
      listening = consumer.completion().onFailure(failure -> {
        // Try again with the next stream rather than fail every stream from now on.
        consumer = null;
        listening = null;
      });
    }
    return listening;
  }

  /** Stops listening once the last stream is gone; a stream opened meanwhile listens anew. */
  private void quietIfUnwatched() {
    if (byOrder.isEmpty() && consumer != null) {
      consumer.unregister();
      consumer = null;
      listening = null;
    }
  }

  /**
   * Opens a stream, or answers 400/404 (and 503/504 when the order service is down or slow, 503 when this
   * node has {@code maxStreams} open) as JSON.
   */
  void open(RoutingContext ctx) {
    if (open >= maxStreams) {
      error(ctx, new HttpError(503, "TOO_MANY_STREAMS", "this node has " + maxStreams
          + " order streams open, its most; try again shortly or read GET /orders/{id}", null, STREAM_RETRY_AFTER_S));
      return;
    }
    int lastSeen;
    try {
      String header = ctx.request().getHeader("Last-Event-ID");
      lastSeen = header == null || header.isBlank() ? 0 : Integer.parseInt(header.trim());
    } catch (NumberFormatException e) {
      error(ctx, new HttpError(400, "INVALID_REQUEST", "Last-Event-ID must be a whole number, an id this stream sent"));
      return;
    }
    String id = ctx.pathParam("id");
    // Listen before reading, so that a change between the read and the first event is not missed.
    Stream stream = new Stream(id, ctx.response(), lastSeen);
    byOrder.computeIfAbsent(id, k -> new ArrayList<>()).add(stream);
    open++;
    ctx.response().closeHandler(v -> stream.stop());
    listen().compose(v -> read(id)).onComplete(ar -> {
      if (ar.failed()) {
        stream.stop();
        error(ctx, ErrorMapping.of(ar.cause(), "order"));
      } else {
        stream.begin(ar.result());
      }
    });
  }

  private Future<JsonObject> read(String id) {
    return orders.get(id).map(Order::toJson);
  }

  private final class Stream {
    private final String orderId;
    private final HttpServerResponse response;
    /** Changes heard before the first read answered; offered after it. */
    private final List<JsonObject> early = new ArrayList<>();
    private int sent;
    private boolean begun;
    private boolean stopped;
    private long keepAliveTimer = -1;
    private long lastRead;

    Stream(String orderId, HttpServerResponse response, int lastSeen) {
      this.orderId = orderId;
      this.response = response;
      this.sent = lastSeen;
    }

    void begin(JsonObject order) {
      if (stopped) {
        return;
      }
      if (sent > timelineLength(order)) {
        // Not an id this stream sent: start from the order as it is.
        sent = 0;
      }
      if (Order.fromJson(order).isSettled() && timelineLength(order) <= sent) {
        // A reconnect after the end: nothing new will ever come.
        stop();
        response.setStatusCode(204).end();
        return;
      }
      begun = true;
      lastRead = System.nanoTime();
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader("X-Accel-Buffering", "no");
      response.write("retry: 2000\n\n");
      offer(order);
      early.forEach(this::offer);
      early.clear();
      if (!stopped) {
        keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), t -> {
          response.write(": keep-alive\n\n");
          if (System.nanoTime() - lastRead >= refresh.toNanos()) {
            lastRead = System.nanoTime();
            read(orderId).onSuccess(this::offer);
          }
        });
      }
    }

    void offer(JsonObject order) {
      if (stopped) {
        return;
      }
      if (!begun) {
        early.add(order);
        return;
      }
      int length = timelineLength(order);
      if (length > sent) {
        sent = length;
        response.write("id: " + length + "\ndata: " + order.encode() + "\n\n");
      }
      // Settled is the end, even if the client's Last-Event-ID claimed to have seen more than there is.
      if (Order.fromJson(order).isSettled()) {
        stop();
        response.end();
      }
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      open--;
      if (keepAliveTimer >= 0) {
        vertx.cancelTimer(keepAliveTimer);
      }
      List<Stream> streams = byOrder.get(orderId);
      if (streams != null) {
        streams.remove(this);
        if (streams.isEmpty()) {
          byOrder.remove(orderId);
          quietIfUnwatched();
        }
      }
    }
  }

  private static int timelineLength(JsonObject order) {
    return order.getJsonArray("timeline").size();
  }
}
