package io.orderbus.inventory;

import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents;

import io.orderbus.messaging.GroupSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** What the inventory service answers on the event bus, what it publishes, and how it fails. */
public final class InventoryContract {

  /** Request: {@link ReserveRequest}; reply: {@link Reservation}, or OUT_OF_STOCK / UNKNOWN_SKU. */
  public static final String RESERVE = "inventory.reserve";
  /** Request: {@code {"orderId"}}; gives back what the order reserved. Idempotent. */
  public static final String RELEASE = "inventory.release";
  /** Request: {@code {"sku"}}; reply: {@link StockLevel}, or UNKNOWN_SKU. */
  public static final String GET = "inventory.get";
  /** Request: {@link StockLevel}; sets the available quantity, creating the SKU if new. */
  public static final String SET = "inventory.set";
  /**
   * Request: {@code {"skus": [...]}} (or {@code {}} for all); reply: {@code {"skus": [...], "levels": {sku: available}}}
   * of those that exist. Asking by SKU reads them by key, which stays exact while partitions migrate.
   */
  public static final String CATALOG = "inventory.catalog";
  /**
   * Live (at-most-once) publish of {@link StockLevel} after every change, for fast-fail caches such as the
   * order service's: a hint, never the authority, which stays the reservation.
   */
  public static final String LEVELS = "inventory.levels";


  /** The inventory group reserves stock for every order created. */
  public static final GroupSpec GROUP = new GroupSpec("inventory", Set.of(OrderEvents.ORDER_CREATED));

  public static final int OUT_OF_STOCK = 2001;
  public static final int UNKNOWN_SKU = 2002;
  public static final int INVALID_REQUEST = 2003;

  /** What a SKU may look like: 1-64 letters, digits, '.', '_' or '-'. */
  public static final java.util.regex.Pattern SKU = java.util.regex.Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  public static final String STOCK_MAP = "inventory.stock";
  public static final String RESERVATIONS_MAP = "inventory.reservations";
  /** A replicated map (a copy on every member): whether this cluster's demo stock was ever seeded. */
  public static final String SEEDED_MAP = "inventory.seeded";

  private InventoryContract() {
  }

  public record ReserveRequest(String orderId, List<Line> lines) {
    public JsonObject toJson() {
      return new JsonObject().put("orderId", orderId)
          .put("lines", new JsonArray(lines.stream().map(Line::toJson).toList()));
    }

    /** Tolerates a malformed request (missing lines, lines that are not objects) so it can be refused cleanly. */
    public static ReserveRequest fromJson(JsonObject json) {
      return new ReserveRequest(json.getString("orderId"), Line.fromJson(json.getValue("lines")));
    }
  }

  /**
   * The outcome of reserving an order, kept per order so that a repeated request gets the same answer.
   *
   * @param state  RESERVED, REJECTED or RELEASED as answered; the store's record also passes RESERVING and RELEASING
   * @param reason for REJECTED: OUT_OF_STOCK or UNKNOWN_SKU
   * @param sku    for REJECTED: the SKU that could not be reserved
   * @param node   the node that decided
   */
  public record Reservation(String orderId, ReservationState state, List<Line> lines, String reason, String sku,
                            String node) {
    public boolean reserved() {
      return state == ReservationState.RESERVED;
    }

    public JsonObject toJson() {
      return new JsonObject().put("orderId", orderId).put("state", state.name())
          .put("lines", new JsonArray(lines.stream().map(Line::toJson).toList()))
          .put("reason", reason).put("sku", sku).put("node", node);
    }

    public static Reservation fromJson(JsonObject json) {
      return new Reservation(json.getString("orderId"), ReservationState.valueOf(json.getString("state")),
          json.getJsonArray("lines", new JsonArray()).stream().map(o -> Line.fromJson((JsonObject) o)).toList(),
          json.getString("reason"), json.getString("sku"), json.getString("node"));
    }
  }

  /** The reply of {@link #CATALOG}: the SKUs that exist, among those asked for, and their levels. */
  public record Catalog(java.util.Map<String, Integer> levels) {
    public JsonObject toJson() {
      JsonObject byName = new JsonObject();
      levels.forEach(byName::put);
      return new JsonObject().put("skus", new JsonArray(new java.util.ArrayList<>(levels.keySet()))).put("levels", byName);
    }

    public static Catalog fromJson(JsonObject json) {
      java.util.Map<String, Integer> levels = new java.util.TreeMap<>();
      json.getJsonObject("levels", new JsonObject()).forEach(e -> levels.put(e.getKey(), ((Number) e.getValue()).intValue()));
      return new Catalog(levels);
    }
  }

  /**
   * Where an order's reservation stands: {@code RESERVING → RESERVED | REJECTED}, and
   * {@code (none | RESERVING | RESERVED) → RELEASING → RELEASED}.
   */
  public enum ReservationState {
    RESERVING, RESERVED, REJECTED, RELEASING, RELEASED
  }

  public record StockLevel(String sku, int available) {
    public JsonObject toJson() {
      return new JsonObject().put("sku", sku).put("available", available);
    }

    public static StockLevel fromJson(JsonObject json) {
      return new StockLevel(json.getString("sku"), json.getInteger("available"));
    }
  }
}
