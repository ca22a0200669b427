package io.orderbus.events;

import io.vertx.core.json.JsonObject;

/** What the inventory service publishes. */
public final class StockEvents {
  /** Every line of an order is reserved; payload {@link StockOutcome}. */
  public static final String STOCK_RESERVED = "StockReserved";
  /** An order could not be reserved and holds nothing; payload {@link StockOutcome}. */
  public static final String STOCK_REJECTED = "StockRejected";

  private StockEvents() {
  }

  /**
   * How reserving an order ended.
   *
   * @param reason        for a rejection: {@code OUT_OF_STOCK} or {@code UNKNOWN_SKU}
   * @param sku           for a rejection: the SKU that could not be had
   * @param customerEmail for a rejection: whom email tells (only {@code OrderCreated} carried it); else null
   */
  public record StockOutcome(String orderId, String reason, String sku, String customerEmail) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("orderId", orderId).put("reason", reason).put("sku", sku);
      return customerEmail == null ? json : json.put("customerEmail", customerEmail);
    }

    public static StockOutcome fromJson(JsonObject json) {
      return new StockOutcome(json.getString("orderId"), json.getString("reason"), json.getString("sku"),
          json.getString("customerEmail"));
    }
  }
}
