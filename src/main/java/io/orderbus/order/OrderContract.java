package io.orderbus.order;

import io.orderbus.events.EmailEvents;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.StockEvents;

import io.orderbus.messaging.GroupSpec;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * What the order service answers on the event bus, what it publishes, and how it fails.
 *
 * <p>Requests carry the client's JSON as it came ({@code {"body": ..., "mode": ..., "idempotencyKey": ...}})
 * because validating it is the order service's business, not the gateway's. Replies are {@link Order} JSON.
 */
public final class OrderContract {

  /**
   * Request: {@code {"body": {...}, "mode": "async"|"sync", "idempotencyKey": optional, "deadline": optional}},
   * {@code deadline} the cluster time (epoch ms) at which the asker stops waiting ({@link #REQUEST_EXPIRED}).
   */
  public static final String PLACE = "order.place";
  /** Request: {@code {"id"}}; reply: the order, or ORDER_NOT_FOUND. */
  public static final String GET = "order.get";

  /**
   * Live, at most once (a plain {@code publish} to whoever listens now): the order's JSON, as text, after each change,
   * for views that only care about now, such as {@code GET /orders/{id}/events}. Never the record: a view
   * that must not miss a change re-reads the order with {@link #GET}.
   */
  public static final String STATUS = "orders.status";

  /** The order group follows what inventory and email did with each order, and settles sync orders due. */
  public static final GroupSpec GROUP = new GroupSpec("order",
      Set.of(StockEvents.STOCK_RESERVED, StockEvents.STOCK_REJECTED, EmailEvents.EMAIL_SENT, OrderEvents.SYNC_ORDER_DUE));

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
  /** Another request with the same Idempotency-Key is placing the order now. The message ends with the seconds to wait. */
  public static final int REQUEST_IN_PROGRESS = 1017;
  /** The Idempotency-Key was used before with a different request. */
  public static final int IDEMPOTENCY_KEY_REUSED = 1018;
  /** A retried sync order that had failed (a service was down or slow): the reason is in the message. */
  public static final int ORDER_FAILED = 1019;
  /** The Idempotency-Key is not 1-255 visible ASCII characters (see {@link #IDEMPOTENCY_KEY}). */
  public static final int INVALID_IDEMPOTENCY_KEY = 1020;

  /**
   * What an {@code Idempotency-Key} may be: 1 to 255 visible ASCII characters ({@code !} to {@code ~}), so
   * no space, control character or non-ASCII byte, which HTTP intermediaries rewrite or drop (a key that
   * changes on the way would place the order twice), and a bounded size in the 24-hour key store.
   */
  public static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("^[\\x21-\\x7E]{1,255}$");
  /**
   * The order is stored but its events reached only some services (the store failed half-way): they are
   * published again in the background; a retry with the same Idempotency-Key makes sure.
   */
  public static final int PUBLISH_INCOMPLETE = 1021;
  /**
   * The request reached the order service after the gateway had given up on it (the {@code deadline} of
   * {@link #PLACE} passed: a node paused or starved meanwhile): nothing was placed, as its client was answered
   * {@code 504} and may already have retried elsewhere.
   */
  public static final int REQUEST_EXPIRED = 1022;

  /** The service at fault for a failure with {@code code}, or null when it is the request or the order service. */
  public static String serviceAtFault(int code) {
    return switch (code) {
      case OUT_OF_STOCK, INVENTORY_UNAVAILABLE, INVENTORY_TIMEOUT, INVENTORY_CIRCUIT_OPEN -> "inventory";
      case EMAIL_UNAVAILABLE, EMAIL_TIMEOUT, EMAIL_CIRCUIT_OPEN -> "email";
      default -> null;
    };
  }

  public static final String ORDERS_MAP = "orders";
  public static final String IDEMPOTENCY_MAP = "orders.idempotency";

  private OrderContract() {
  }

  /**
   * The request of {@link #PLACE}: the client's body as it came, the path ({@code null}, {@code async} or
   * {@code sync}), its {@code Idempotency-Key} if any, and the cluster time at which the asker stops waiting.
   */
  public record PlaceOrder(JsonObject body, String mode, String idempotencyKey, Long deadline) {
    public JsonObject toJson() {
      return new JsonObject().put("body", body).put("mode", mode).put("idempotencyKey", idempotencyKey)
          .put("deadline", deadline);
    }

    public static PlaceOrder fromJson(JsonObject json) {
      return new PlaceOrder(json.getJsonObject("body"), json.getString("mode"), json.getString("idempotencyKey"),
          json.getLong("deadline"));
    }
  }
}
