package io.orderbus.order;

import io.orderbus.email.EmailContract;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.messaging.GroupSpec;

import java.util.Set;

/**
 * What the order service answers on the event bus, what it publishes, and how it fails.
 *
 * <p>Requests carry the client's JSON as it came ({@code {"body": ..., "mode": ..., "idempotencyKey": ...}})
 * because validating it is the order service's business, not the gateway's. Replies are {@link Order} JSON.
 */
public final class OrderContract {

  /** Request: {@code {"body": {...}, "mode": "async"|"sync", "idempotencyKey": optional}}. */
  public static final String PLACE = "order.place";
  /** Request: {@code {"id"}}; reply: the order, or ORDER_NOT_FOUND. */
  public static final String GET = "order.get";

  /**
   * Live, at most once (a plain {@code publish} to whoever listens now): the order's JSON, as text, after each change,
   * for views that only care about now, such as {@code GET /orders/{id}/events}. Never the record: a view
   * that must not miss a change re-reads the order with {@link #GET}.
   */
  public static final String STATUS = "orders.status";

  /** Published once an order is recorded on the async path; payload {@code {"orderId","customerEmail","items"}}. */
  public static final String ORDER_CREATED = "OrderCreated";

  /** The order group follows what inventory and email did with each order. */
  public static final GroupSpec GROUP = new GroupSpec("order",
      Set.of(InventoryContract.STOCK_RESERVED, InventoryContract.STOCK_REJECTED, EmailContract.EMAIL_SENT));

  public static final int INVALID_REQUEST = 1001;
  public static final int MISSING_FIELD = 1005;
  public static final int EMPTY_ITEMS = 1006;
  public static final int INVALID_QUANTITY = 1007;
  public static final int UNKNOWN_SKU = 1002;
  public static final int UNKNOWN_MODE = 1003;
  public static final int ORDER_NOT_FOUND = 1004;
  public static final int OUT_OF_STOCK = 1009;
  public static final int INVENTORY_UNAVAILABLE = 1010;
  public static final int INVENTORY_TIMEOUT = 1011;
  public static final int EMAIL_UNAVAILABLE = 1012;
  public static final int EMAIL_TIMEOUT = 1013;
  /** Durable delivery refused the event: its backlog is full. The message ends with the seconds to wait. */
  public static final int BACKLOG_FULL = 1014;
  /** The sync path's circuit to inventory is open after repeated outages. The message ends with the seconds to wait. */
  public static final int INVENTORY_CIRCUIT_OPEN = 1015;
  /** The sync path's circuit to email is open after repeated outages. The message ends with the seconds to wait. */
  public static final int EMAIL_CIRCUIT_OPEN = 1016;

  public static final String ORDERS_MAP = "orders";
  public static final String IDEMPOTENCY_MAP = "orders.idempotency";

  private OrderContract() {
  }
}
