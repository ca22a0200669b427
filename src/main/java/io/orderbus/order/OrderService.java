package io.orderbus.order;

import io.orderbus.messaging.HazelcastCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.email.EmailContract;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.inventory.InventoryContract.Line;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.inventory.InventoryContract.StockLevel;
import io.orderbus.messaging.BacklogFullException;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Event;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Places orders on the two paths and follows them to their outcome.
 *
 * <p>Async: record the order, publish {@code OrderCreated} durably, answer at once; the order group then
 * applies what inventory and email report. Sync: ask inventory, then email, each with a timeout, and
 * answer with the final state; a failed email gives the reserved stock back, because the checkout failed.
 */
public final class OrderService {
  private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

  private final Vertx vertx;
  private final Delivery delivery;
  private final String node;
  private final Duration requestTimeout;
  private final SyncCircuits circuits;
  private final IMap<String, String> orders;
  private final IMap<String, String> idempotencyKeys;
  /** Last stock level heard per SKU: lets the async path refuse a plainly impossible order at once. */
  private final Map<String, Integer> levels = new ConcurrentHashMap<>();

  public OrderService(Vertx vertx, HazelcastInstance hazelcast, Delivery delivery, String node, Duration requestTimeout,
                      int circuitMaxFailures, Duration circuitResetTimeout) {
    this.vertx = vertx;
    this.circuits = new SyncCircuits(vertx, new SyncCircuits.Settings(circuitMaxFailures, circuitResetTimeout));
    this.delivery = delivery;
    this.node = node;
    this.requestTimeout = requestTimeout;
    this.orders = hazelcast.getMap(OrderContract.ORDERS_MAP);
    this.idempotencyKeys = hazelcast.getMap(OrderContract.IDEMPOTENCY_MAP);
  }

  /** Validates and places an order; {@code mode} is null, "async" or "sync". */
  public Future<Order> place(JsonObject body, String mode, String idempotencyKey) {
    boolean sync;
    if (mode == null || mode.equals("async")) {
      sync = false;
    } else if (mode.equals("sync")) {
      sync = true;
    } else {
      return Future.failedFuture(new OrderFailure(OrderContract.UNKNOWN_MODE,
          "mode must be 'async' or 'sync', not '" + mode + "'"));
    }
    OrderRequest request;
    try {
      request = OrderRequest.parse(body);
    } catch (OrderFailure e) {
      return Future.failedFuture(e);
    }
    String id = UUID.randomUUID().toString();
    return checkAgainstCatalog(request, !sync)
        .compose(v -> claim(idempotencyKey, id))
        .compose(existing -> existing != null
            ? replay(existing, request, sync, idempotencyKey)
            : sync ? placeSync(id, request) : placeAsync(id, request, idempotencyKey));
  }

  public Future<Order> get(String id) {
    return HazelcastCalls.on(orders.getAsync(id), vertx.getOrCreateContext()).compose(json -> json == null
        ? Future.failedFuture(new OrderFailure(OrderContract.ORDER_NOT_FOUND, "no order '" + id + "'"))
        : Future.succeededFuture(Order.fromJson(new JsonObject(json))));
  }

  /** Applies what inventory and email report; fails (to be redelivered) while the order is not yet visible. */
  public Future<Void> onEvent(Event event) {
    String orderId = event.payload().getString("orderId");
    Order.TimelineEntry reported = new Order.TimelineEntry(event.topic(), event.publishedBy(), event.publishedAt(), event.id());
    OrderUpdate update = switch (event.topic()) {
      case InventoryContract.STOCK_RESERVED -> new OrderUpdate(Order.CONFIRMED, null, null, reported,
          entry(Order.CONFIRMED, event.id() + "/status"));
      case InventoryContract.STOCK_REJECTED -> new OrderUpdate(Order.REJECTED, event.payload().getString("reason"), null,
          reported, entry(Order.REJECTED, event.id() + "/status"));
      case EmailContract.EMAIL_SENT -> new OrderUpdate(null, null, "SENT", reported);
      default -> null;
    };
    if (update == null) {
      return Future.succeededFuture();
    }
    return apply(orderId, update).compose(updated -> updated == null
        ? Future.failedFuture("order " + orderId + " is not stored yet")
        : Future.succeededFuture());
  }

  private Future<Order> placeAsync(String id, OrderRequest request, String idempotencyKey) {
    Order order = newOrder(id, request, "async");
    JsonObject payload = orderCreated(order);
    return store(order)
        .compose(v -> delivery.publish(OrderContract.ORDER_CREATED, id, payload))
        .map(order)
        .recover(failure -> {
          if (!(failure instanceof BacklogFullException full)) {
            return Future.failedFuture(failure);
          }
          // Not accepted after all: leave no trace, so a retry starts clean.
          if (idempotencyKey != null) {
            idempotencyKeys.removeAsync(idempotencyKey);
          }
          return HazelcastCalls.on(orders.removeAsync(id), vertx.getOrCreateContext())
              .compose(x -> Future.failedFuture(new OrderFailure(OrderContract.BACKLOG_FULL,
                  full.getMessage() + " (retryAfter=" + full.retryAfterSeconds() + ")")));
        });
  }

  private Future<Order> placeSync(String id, OrderRequest request) {
    Order order = newOrder(id, request, "sync");
    ReserveRequest reserve = new ReserveRequest(id, request.items());
    return store(order)
        .compose(v -> circuits.inventory(() -> request(InventoryContract.RESERVE, reserve.toJson())))
        .recover(failure -> inventoryFailed(id, failure))
        .compose(reply -> {
          Reservation reservation = Reservation.fromJson(reply);
          return apply(id, new OrderUpdate(null, null, null, new Order.TimelineEntry(InventoryContract.STOCK_RESERVED,
              reservation.node(), System.currentTimeMillis(), "sync-reserved")));
        })
        .compose(v -> circuits.email(() -> request(EmailContract.SEND,
            EmailContract.orderConfirmation(order.id(), order.customerEmail(), order.items()).toJson())))
        .recover(failure -> failure instanceof OrderFailure ? Future.failedFuture(failure) : emailFailed(id, failure))
        .compose(sent -> apply(id, new OrderUpdate(Order.CONFIRMED, null, "SENT",
            new Order.TimelineEntry(EmailContract.EMAIL_SENT, sent.getString("node"), sent.getLong("sentAt"), "sync-email"),
            entry(Order.CONFIRMED, "sync-confirmed"))))
        .map(json -> Order.fromJson(new JsonObject(json)));
  }

  private Future<JsonObject> inventoryFailed(String id, Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (re.failureCode() == InventoryContract.OUT_OF_STOCK || re.failureCode() == InventoryContract.UNKNOWN_SKU)) {
      boolean outOfStock = re.failureCode() == InventoryContract.OUT_OF_STOCK;
      String reason = outOfStock ? "OUT_OF_STOCK" : "UNKNOWN_SKU";
      return apply(id, new OrderUpdate(Order.REJECTED, reason, null,
          entry(InventoryContract.STOCK_REJECTED, "sync-rejected"), entry(Order.REJECTED, "sync-rejected/status")))
          .compose(v -> Future.failedFuture(new OrderFailure(
              outOfStock ? OrderContract.OUT_OF_STOCK : OrderContract.UNKNOWN_SKU, re.getMessage())));
    }
    boolean timeout = failure instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
    OrderFailure result = serviceFailure("inventory", failure,
        OrderContract.INVENTORY_UNAVAILABLE, OrderContract.INVENTORY_TIMEOUT, OrderContract.INVENTORY_CIRCUIT_OPEN);
    // A timed-out reservation may still happen later: release it, so it cannot keep stock.
    Future<Void> release = timeout ? releaseQuietly(id) : Future.succeededFuture();
    return release.compose(v -> markFailed(id, result, null)).compose(v -> Future.failedFuture(result));
  }

  private Future<JsonObject> emailFailed(String id, Throwable failure) {
    OrderFailure result = serviceFailure("email", failure, OrderContract.EMAIL_UNAVAILABLE, OrderContract.EMAIL_TIMEOUT,
        OrderContract.EMAIL_CIRCUIT_OPEN);
    return releaseQuietly(id)
        .compose(v -> markFailed(id, result, "FAILED"))
        .compose(v -> Future.failedFuture(result));
  }

  private OrderFailure serviceFailure(String service, Throwable failure, int unavailable, int timeout, int circuitOpen) {
    if (failure instanceof OpenCircuitException) {
      return new OrderFailure(circuitOpen, service + " service failed repeatedly: its circuit is open, so it is not asked"
          + " (retryAfter=" + Math.max(1, circuits.resetTimeout().toSeconds()) + ")");
    }
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      return new OrderFailure(timeout, service + " service did not answer within " + requestTimeout.toMillis() + " ms");
    }
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return new OrderFailure(unavailable, service + " service is not running (no handler on the event bus)");
    }
    return new OrderFailure(unavailable, service + " service failed: " + failure.getMessage());
  }

  private Future<Void> markFailed(String id, OrderFailure failure, String emailStatus) {
    return apply(id, new OrderUpdate(Order.FAILED, failure.getMessage(), emailStatus,
        entry(Order.FAILED, "sync-failed"))).mapEmpty();
  }

  private Future<Void> releaseQuietly(String id) {
    return request(InventoryContract.RELEASE, new JsonObject().put("orderId", id))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private Future<Order> replay(String existingId, OrderRequest request, boolean sync, String idempotencyKey) {
    // A retried POST: the same order. If the first attempt died between claiming the key and storing
    // the order, store it now under the claimed id. If it is still ACCEPTED its event may never have
    // been stored either: publishing again is harmless, every handler is idempotent.
    return get(existingId).recover(failure -> failure instanceof OrderFailure f && f.code() == OrderContract.ORDER_NOT_FOUND
            ? (sync ? placeSync(existingId, request) : placeAsync(existingId, request, idempotencyKey))
            : Future.failedFuture(failure))
        .compose(order -> order.isFinal() || order.mode().equals("sync")
            ? Future.succeededFuture(order)
            : delivery.publish(OrderContract.ORDER_CREATED, order.id(), orderCreated(order)).map(order));
  }

  private Future<String> claim(String idempotencyKey, String id) {
    if (idempotencyKey == null) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() ->
        idempotencyKeys.putIfAbsent(idempotencyKey, id, IDEMPOTENCY_TTL.toSeconds(), TimeUnit.SECONDS), false);
  }

  /** Remembers a stock level inventory announced. */
  public void onStockLevel(StockLevel level) {
    levels.put(level.sku(), level.available());
  }

  /**
   * Refuses unknown SKUs, and on the async path a quantity above the last known level (409 at once rather
   * than a certain REJECTED later). Levels are a cache: the reservation stays the authority. If inventory
   * cannot be asked, the order is accepted and inventory decides when it handles it.
   */
  private Future<Void> checkAgainstCatalog(OrderRequest request, boolean checkLevels) {
    Map<String, Integer> wanted = new TreeMap<>();
    request.items().forEach(line -> wanted.merge(line.sku(), line.quantity(), Integer::sum));
    Future<Boolean> known = levels.keySet().containsAll(wanted.keySet())
        ? Future.succeededFuture(true)
        : request(InventoryContract.CATALOG, new JsonObject().put("skus", new JsonArray(new ArrayList<>(wanted.keySet()))))
            .map(reply -> {
              reply.getJsonObject("levels", new JsonObject()).forEach(e -> levels.put(e.getKey(), (Integer) e.getValue()));
              return true;
            })
            .otherwise(false);
    return known.compose(refreshed -> {
      if (!refreshed) {
        return Future.succeededFuture();
      }
      for (Map.Entry<String, Integer> line : wanted.entrySet()) {
        Integer available = levels.get(line.getKey());
        if (available == null) {
          return Future.failedFuture(new OrderFailure(OrderContract.UNKNOWN_SKU, "unknown SKU '" + line.getKey() + "'"));
        }
        if (checkLevels && available < line.getValue()) {
          return Future.failedFuture(new OrderFailure(OrderContract.OUT_OF_STOCK,
              "not enough stock of '" + line.getKey() + "': " + line.getValue() + " wanted, " + available + " available"));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(requestTimeout.toMillis());
    return vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> reply.body());
  }

  private Order newOrder(String id, OrderRequest request, String mode) {
    long now = System.currentTimeMillis();
    return new Order(id, request.customerEmail(), request.items(), mode, Order.ACCEPTED, null, "PENDING", now,
        List.of(new Order.TimelineEntry(Order.ACCEPTED, node, now, "accepted")));
  }

  private Future<Void> store(Order order) {
    String json = order.toJson().encode();
    return HazelcastCalls.on(orders.setAsync(order.id(), json), vertx.getOrCreateContext())
        .onSuccess(v -> announce(json));
  }

  private Future<String> apply(String id, OrderUpdate update) {
    return HazelcastCalls.on(orders.submitToKey(id, update), vertx.getOrCreateContext())
        .onSuccess(updated -> {
          if (updated != null) {
            announce(updated);
          }
        });
  }

  /** Tells live views; a repeated change (a redelivered event) is announced again, and views skip it. */
  private void announce(String order) {
    vertx.eventBus().publish(OrderContract.STATUS, order);
  }

  private Order.TimelineEntry entry(String event, String key) {
    return new Order.TimelineEntry(event, node, System.currentTimeMillis(), key);
  }

  private static JsonObject orderCreated(Order order) {
    return new JsonObject().put("orderId", order.id()).put("customerEmail", order.customerEmail())
        .put("items", new JsonArray(order.items().stream().map(Line::toJson).toList()));
  }
}
