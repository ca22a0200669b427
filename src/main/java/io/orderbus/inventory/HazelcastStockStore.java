package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionContext;
import com.hazelcast.transaction.TransactionOptions;
import com.hazelcast.transaction.TransactionalMap;
import io.orderbus.inventory.InventoryContract.Line;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The embedded store: stock per SKU in a Hazelcast map, changed only in two-phase transactions: all lines
 * of an order are reserved together or none is, whichever inventory node does it, and nothing is ever
 * oversold. The outcome is recorded per order in the same transaction, so asking twice reserves once.
 * Hazelcast transactions have no async API: every call runs on a worker thread.
 */
final class HazelcastStockStore implements StockStore {
  private static final TransactionOptions TWO_PHASE = new TransactionOptions()
      .setTransactionType(TransactionOptions.TransactionType.TWO_PHASE)
      .setTimeout(10, TimeUnit.SECONDS);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, Integer> stock;
  private final String node;

  HazelcastStockStore(Vertx vertx, HazelcastInstance hazelcast, String node) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.stock = hazelcast.getMap(InventoryContract.STOCK_MAP);
    this.node = node;
  }

  @Override
  public Future<Void> seed(Map<String, Integer> demo) {
    return blocking(() -> {
      demo.forEach(stock::putIfAbsent);
      return null;
    });
  }

  @Override
  public Future<Integer> available(String sku) {
    return blocking(() -> stock.get(sku));
  }

  @Override
  public Future<Void> set(String sku, int available) {
    return blocking(() -> {
      stock.set(sku, available);
      return null;
    });
  }

  @Override
  public Future<Map<String, Integer>> levels(Set<String> skus) {
    return blocking(() -> new TreeMap<>(skus == null ? stock : stock.getAll(skus)));
  }

  @Override
  public Future<StockChange> reserve(String orderId, List<Line> lines) {
    Map<String, Integer> wanted = StockStore.wanted(lines);
    return blocking(() -> inTransaction(tx -> {
      TransactionalMap<String, String> reservations = tx.getMap(InventoryContract.RESERVATIONS_MAP);
      String previous = reservations.getForUpdate(orderId);
      if (previous != null) {
        return new StockChange(Reservation.fromJson(new JsonObject(previous)), Map.of());
      }
      TransactionalMap<String, Integer> levels = tx.getMap(InventoryContract.STOCK_MAP);
      Map<String, Integer> after = new TreeMap<>();
      Map<String, Integer> current = new TreeMap<>();
      Reservation outcome = null;
      // Locks in SKU order: two orders never wait on each other's locks in a cycle.
      for (Map.Entry<String, Integer> line : wanted.entrySet()) {
        Integer available = levels.getForUpdate(line.getKey());
        if (available == null) {
          outcome = rejected(orderId, lines, "UNKNOWN_SKU", line.getKey());
          break;
        }
        if (available < line.getValue()) {
          outcome = rejected(orderId, lines, "OUT_OF_STOCK", line.getKey());
          break;
        }
        current.put(line.getKey(), available);
      }
      if (outcome == null) {
        current.forEach((sku, available) -> {
          levels.set(sku, available - wanted.get(sku));
          after.put(sku, available - wanted.get(sku));
        });
        outcome = new Reservation(orderId, "RESERVED", lines, null, null, node);
      }
      reservations.set(orderId, outcome.toJson().encode());
      return new StockChange(outcome, after);
    }));
  }

  @Override
  public Future<StockChange> release(String orderId) {
    return blocking(() -> inTransaction(tx -> {
      TransactionalMap<String, String> reservations = tx.getMap(InventoryContract.RESERVATIONS_MAP);
      String previous = reservations.getForUpdate(orderId);
      Reservation prior = previous == null ? null : Reservation.fromJson(new JsonObject(previous));
      if (prior != null && !prior.reserved()) {
        return new StockChange(prior, Map.of());
      }
      Map<String, Integer> after = new TreeMap<>();
      List<Line> lines = prior == null ? List.of() : prior.lines();
      if (prior != null) {
        TransactionalMap<String, Integer> levels = tx.getMap(InventoryContract.STOCK_MAP);
        StockStore.wanted(lines).forEach((sku, quantity) -> {
          Integer available = levels.getForUpdate(sku);
          levels.set(sku, (available == null ? 0 : available) + quantity);
          after.put(sku, (available == null ? 0 : available) + quantity);
        });
      }
      Reservation released = new Reservation(orderId, "RELEASED", new ArrayList<>(lines), null, null, node);
      reservations.set(orderId, released.toJson().encode());
      return new StockChange(released, after);
    }));
  }

  private Reservation rejected(String orderId, List<Line> lines, String reason, String sku) {
    return new Reservation(orderId, "REJECTED", lines, reason, sku, node);
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private <T> T inTransaction(java.util.function.Function<TransactionContext, T> work) {
    TransactionContext tx = hazelcast.newTransactionContext(TWO_PHASE);
    tx.beginTransaction();
    try {
      T result = work.apply(tx);
      tx.commitTransaction();
      return result;
    } catch (RuntimeException e) {
      tx.rollbackTransaction();
      throw e;
    }
  }
}
