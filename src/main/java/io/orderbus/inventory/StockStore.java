package io.orderbus.inventory;

import io.orderbus.events.Line;

import io.orderbus.inventory.InventoryContract.Reservation;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where stock lives. Every implementation reserves all lines of an order or none, never oversells under
 * any concurrency or number of inventory nodes, and records each order's outcome with the change, so that
 * asking again for the same order changes nothing and answers the first outcome.
 */
interface StockStore {

  /**
   * The outcome of a reservation or release, and the levels it left the SKUs it changed at (empty when
   * nothing changed), for announcing without reading them again.
   */
  record StockChange(Reservation outcome, Map<String, Integer> levels) {
  }

  /** Adds the demo SKUs that are missing; never touches one that exists. */
  Future<Void> seed(Map<String, Integer> demo);

  /** The available quantity, or null for an unknown SKU. */
  Future<Integer> available(String sku);

  /** Sets a SKU's available quantity, creating the SKU if new. */
  Future<Void> set(String sku, int available);

  /** Levels of the given SKUs that exist (all SKUs if {@code skus} is null), by SKU. */
  Future<Map<String, Integer>> levels(Set<String> skus);

  /** Reserves every line or none; the recorded outcome (RESERVED or REJECTED), the first one if asked again. */
  Future<StockChange> reserve(String orderId, List<Line> lines);

  /** Gives back what an order reserved; afterwards a late reservation of that order does nothing. */
  Future<StockChange> release(String orderId);

  /** Quantity per SKU over all lines, in SKU order: the order every store takes its locks in. */
  static Map<String, Integer> wanted(List<Line> lines) {
    Map<String, Integer> wanted = new TreeMap<>();
    lines.forEach(line -> wanted.merge(line.sku(), line.quantity(), Integer::sum));
    return wanted;
  }
}
