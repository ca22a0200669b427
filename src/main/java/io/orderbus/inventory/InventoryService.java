package io.orderbus.inventory;

import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents.OrderCreated;
import io.orderbus.events.StockEvents;
import io.orderbus.events.StockEvents.StockOutcome;

import io.orderbus.inventory.InventoryContract.Catalog;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.inventory.InventoryContract.StockLevel;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.Hops;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Stock levels and reservations, over whichever {@link StockStore} the node is configured with. */
public final class InventoryService implements InventoryApi {
  /** Seeded into an empty cluster so that a first order has something to buy. */
  public static final Map<String, Integer> DEMO_STOCK = Map.of("book", 100, "pen", 500, "mug", 20, "laptop", 3);
  private static final int MAX_AVAILABLE = 1_000_000_000;
  static final long LEVELS_EVERY_MS = 50;

  private final Vertx vertx;
  private final Delivery delivery;
  private final StockStore store;
  private final Map<String, Integer> unannounced = new HashMap<>();
  private boolean announceScheduled;

  InventoryService(Vertx vertx, StockStore store, Delivery delivery) {
    this.vertx = vertx;
    this.delivery = delivery;
    this.store = store;
  }

  public Future<Void> seed() {
    return store.seed(DEMO_STOCK);
  }

  @Override
  public Future<Reservation> reserve(ReserveRequest request) {
    if (request.orderId() == null || request.lines() == null || request.lines().isEmpty()) {
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST, "orderId and lines are required"));
    }
    for (Line line : request.lines()) {
      if (line.sku() == null || line.quantity() < 1) {
        return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST,
            "every line needs a sku and a quantity of at least 1"));
      }
    }
    return store.reserve(request.orderId(), request.lines()).compose(change -> {
      announce(change);
      Reservation outcome = change.outcome();
      if (outcome.reserved()) {
        Hops.log(request.orderId(), "stock reserved");
        return Future.succeededFuture(outcome);
      }
      if ("UNKNOWN_SKU".equals(outcome.reason())) {
        return Future.failedFuture(new InventoryFailure(InventoryContract.UNKNOWN_SKU, "unknown SKU '" + outcome.sku() + "'"));
      }
      if ("OUT_OF_STOCK".equals(outcome.reason())) {
        return Future.failedFuture(new InventoryFailure(InventoryContract.OUT_OF_STOCK,
            "not enough stock of '" + outcome.sku() + "'"));
      }
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST,
          "order " + request.orderId() + " was already released"));
    });
  }

  @Override
  public Future<Reservation> release(String orderId) {
    if (orderId == null) {
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST, "orderId is required"));
    }
    return store.release(orderId).onSuccess(this::announce).map(StockStore.StockChange::outcome);
  }

  /** Async path: reserve for an {@code OrderCreated} and report the outcome to whoever follows orders. */
  public Future<Void> onOrderCreated(Event event) {
    OrderCreated created = OrderCreated.fromJson(event.payload());
    String orderId = created.orderId();
    return store.reserve(orderId, created.items()).compose(change -> {
      announce(change);
      Reservation outcome = change.outcome();
      if (outcome.state() == InventoryContract.ReservationState.RELEASED) {
        return Future.succeededFuture();
      }
      String topic = outcome.reserved() ? StockEvents.STOCK_RESERVED : StockEvents.STOCK_REJECTED;
      Hops.log(orderId, outcome.reserved() ? "stock reserved" : "stock rejected");
      // Email tells the customer why: it needs the address, which only OrderCreated carried.
      StockOutcome report = new StockOutcome(orderId, outcome.reason(), outcome.sku(),
          outcome.reserved() ? null : created.customerEmail());
      // Deterministic id: a redelivered OrderCreated republishes the same outcome, which is then applied once.
      return delivery.publish(topic, "stock-" + orderId, report.toJson());
    });
  }

  @Override
  public Future<StockLevel> level(String sku) {
    return store.available(sku).compose(available -> available == null
        ? Future.failedFuture(new InventoryFailure(InventoryContract.UNKNOWN_SKU, "unknown SKU '" + sku + "'"))
        : Future.succeededFuture(new StockLevel(sku, available)));
  }

  @Override
  public Future<StockLevel> set(String sku, JsonObject body) {
    if (sku == null || !InventoryContract.SKU.matcher(sku).matches()) {
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST,
          "sku must be 1-64 letters, digits, '.', '_' or '-'"));
    }
    Object available = body == null ? null : body.getValue("available");
    if (available == null) {
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST, "available is required"));
    }
    if (!(available instanceof Integer || available instanceof Long)
        || ((Number) available).longValue() < 0 || ((Number) available).longValue() > MAX_AVAILABLE) {
      return Future.failedFuture(new InventoryFailure(InventoryContract.INVALID_REQUEST,
          "available must be a whole number from 0 to " + MAX_AVAILABLE));
    }
    int value = ((Number) available).intValue();
    return store.set(sku, value).map(v -> new StockLevel(sku, value)).onSuccess(this::announceNow);
  }

  @Override
  public Future<Catalog> catalog(Set<String> skus) {
    return store.levels(skus).map(Catalog::new);
  }

  /**
   * Tells whoever caches stock levels what they are now for the SKUs a change touched: the latest level per
   * SKU once per {@link #LEVELS_EVERY_MS}, not one message to every order node per reservation. The caches
   * only spare an order that cannot be had a trip; the reservation decides.
   */
  private void announceNow(StockLevel level) {
    // A level from before the operator's count, still waiting, must not follow it and undo it in the caches.
    synchronized (unannounced) {
      unannounced.remove(level.sku());
    }
    vertx.eventBus().publish(InventoryContract.LEVELS, level.toJson());
  }

  private void announce(StockStore.StockChange change) {
    synchronized (unannounced) {
      unannounced.putAll(change.levels());
      if (announceScheduled || unannounced.isEmpty()) {
        return;
      }
      announceScheduled = true;
    }
    vertx.setTimer(LEVELS_EVERY_MS, id -> {
      Map<String, Integer> levels;
      synchronized (unannounced) {
        levels = new TreeMap<>(unannounced);
        unannounced.clear();
        announceScheduled = false;
      }
      levels.forEach((sku, available) ->
          vertx.eventBus().publish(InventoryContract.LEVELS, new StockLevel(sku, available).toJson()));
    });
  }

}
