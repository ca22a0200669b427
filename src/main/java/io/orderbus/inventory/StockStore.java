package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionContext;
import com.hazelcast.transaction.TransactionOptions;
import com.hazelcast.transaction.TransactionalMap;
import io.orderbus.inventory.InventoryContract.Line;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Stock per SKU in a Hazelcast map, changed only in two-phase transactions: all lines of an order are
 * reserved together or none is, whichever inventory node does it, and nothing is ever oversold. The
 * outcome is recorded per order in the same transaction, so asking twice reserves once.
 *
 * <p>Every method blocks (Hazelcast transactions have no async API): call it from a worker thread.
 */
final class StockStore {
  private static final TransactionOptions TWO_PHASE = new TransactionOptions()
      .setTransactionType(TransactionOptions.TransactionType.TWO_PHASE)
      .setTimeout(10, TimeUnit.SECONDS);

  private final HazelcastInstance hazelcast;
  private final IMap<String, Integer> stock;
  private final String node;

  StockStore(HazelcastInstance hazelcast, String node) {
    this.hazelcast = hazelcast;
    this.stock = hazelcast.getMap(InventoryContract.STOCK_MAP);
    this.node = node;
  }

  /** Adds the demo SKUs that are missing; never touches one that exists. */
  void seed(Map<String, Integer> demo) {
    demo.forEach(stock::putIfAbsent);
  }

  Integer available(String sku) {
    return stock.get(sku);
  }

  void set(String sku, int available) {
    stock.set(sku, available);
  }

  Map<String, Integer> levels() {
    return new TreeMap<>(stock);
  }

  Map<String, Integer> levels(Set<String> skus) {
    return stock.getAll(skus);
  }

  /**
   * The outcome of a reservation or release, and the levels it left the SKUs it changed at (empty when
   * nothing changed), for announcing without reading them again.
   */
  record StockChange(Reservation outcome, Map<String, Integer> levels) {
  }

  /** Reserves every line or none; returns the recorded outcome (RESERVED or REJECTED), the first one if asked again. */
  StockChange reserve(String orderId, List<Line> lines) {
    Map<String, Integer> wanted = new TreeMap<>();
    lines.forEach(line -> wanted.merge(line.sku(), line.quantity(), Integer::sum));
    return inTransaction(tx -> {
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
    });
  }

  /** Gives back what an order reserved; afterwards a late reservation of that order does nothing. */
  StockChange release(String orderId) {
    return inTransaction(tx -> {
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
        Map<String, Integer> giveBack = new TreeMap<>();
        lines.forEach(line -> giveBack.merge(line.sku(), line.quantity(), Integer::sum));
        giveBack.forEach((sku, quantity) -> {
          Integer available = levels.getForUpdate(sku);
          levels.set(sku, (available == null ? 0 : available) + quantity);
          after.put(sku, (available == null ? 0 : available) + quantity);
        });
      }
      Reservation released = new Reservation(orderId, "RELEASED", new ArrayList<>(lines), null, null, node);
      reservations.set(orderId, released.toJson().encode());
      return new StockChange(released, after);
    });
  }

  private Reservation rejected(String orderId, List<Line> lines, String reason, String sku) {
    return new Reservation(orderId, "REJECTED", lines, reason, sku, node);
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
