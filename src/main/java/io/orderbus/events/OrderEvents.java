package io.orderbus.events;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What the order service publishes. */
public final class OrderEvents {
  /** Published once an order is recorded on the async path; payload {@link OrderCreated}. */
  public static final String ORDER_CREATED = "OrderCreated";

  /**
   * Published (delayed, durably) by the sync path before it starts, for when its requests must have ended;
   * payload {@link OrderCreated}. The order group then settles the order whatever became of the node that
   * placed it.
   */
  public static final String SYNC_ORDER_DUE = "SyncOrderDue";

  private OrderEvents() {
  }

  /** An order as its consumers need it: who to tell, and what to reserve. */
  public record OrderCreated(String orderId, String customerEmail, List<Line> items) {
    public JsonObject toJson() {
      return new JsonObject().put("orderId", orderId).put("customerEmail", customerEmail).put("items", Line.toJson(items));
    }

    public static OrderCreated fromJson(JsonObject json) {
      return new OrderCreated(json.getString("orderId"), json.getString("customerEmail"),
          Line.fromJson(json.getValue("items")));
    }
  }
}
