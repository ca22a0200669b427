package io.orderbus.email;

import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.StockEvents;
import io.orderbus.events.UserEvents;

import io.orderbus.messaging.GroupSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** What the email service answers on the event bus, what it publishes, and how it fails. */
public final class EmailContract {

  /** Request: {@link SendEmail}; reply: the {@link SentEmail} (the first one, if the key was sent before). */
  public static final String SEND = "email.send";
  /**
   * Request: {@code {"key", "to"}}: make sure that email never goes out, unless it already did. Reply
   * {@code {"outcome": "SENT", "email": {...}}} or {@code {"outcome": "CANCELLED"}}; fails with
   * {@link #BEING_SENT} while a send is under way (ask again later). The sync path's fence: an order it
   * marks FAILED has its confirmation cancelled first, so a send still on its way cannot confirm it.
   */
  public static final String CANCEL = "email.cancel";
  /**
   * Request: {@code {"to": optional, "limit": optional, "after": optional}}; reply: {@code {"emails": [...],
   * "next": token or null}}, oldest first, at most {@code limit} ({@link #DEFAULT_PAGE} if not given) after the
   * page token {@code after}; {@code next} is the token of the following page.
   */
  public static final String LIST = "email.list";
  public static final int DEFAULT_PAGE = 100;

  /**
   * The email group tells every async order's customer it was received, tells them again if it could not
   * be fulfilled, and welcomes every new user.
   */
  public static final GroupSpec GROUP = new GroupSpec("email",
      Set.of(OrderEvents.ORDER_CREATED, StockEvents.STOCK_REJECTED, UserEvents.USER_SIGNED_UP));

  public static final int INVALID_REQUEST = 3001;
  /** Another member (or an earlier attempt) is sending this email right now; try again later. */
  public static final int BEING_SENT = 3002;
  /** The SMTP server could not be reached or refused the email. */
  public static final int SMTP_FAILED = 3003;
  /** The email was cancelled (its order failed): it is never sent. */
  public static final int CANCELLED = 3004;
  /**
   * The email node stood still moments ago and may have been dropped from the cluster meanwhile: it sends
   * nothing until it is sure its view of the cluster is current (see {@code ProcessStalls}); try again.
   */
  public static final int PAUSED = 3005;
  /**
   * The email cannot be cancelled: a send of it broke off without the SMTP server's answer (the connection
   * closed or timed out mid-session, or its node died mid-send), so the server may have taken it. It is never
   * cancelled; whoever settles its order sends it again (the same Message-ID) until the server says it has it.
   */
  public static final int MAY_HAVE_BEEN_SENT = 3006;

  public static final String SENT_MAP = "email.sent";

  private EmailContract() {
  }

  /**
   * The sync path's confirmation: sent only once the stock is reserved, so it can say the order is confirmed.
   * Keyed by order, so that it goes once.
   */
  public static SendEmail orderConfirmation(String orderId, String to, List<Line> items) {
    return new SendEmail("order:" + orderId, to, "Your order " + orderId + " is confirmed",
        lines("Thank you for your order " + orderId + ". It is confirmed:", items), orderId);
  }

  /**
   * The async path's first email, sent in parallel with the reservation (the fan-out of {@code OrderCreated}),
   * so it promises no more than is known: the order was received. Same key as the confirmation: one per order.
   */
  public static SendEmail orderReceived(String orderId, String to, List<Line> items) {
    return new SendEmail("order:" + orderId, to, "We received your order " + orderId,
        lines("Thank you for your order " + orderId + ". We received it and are checking the stock:", items), orderId);
  }

  /** The second email of an async order that could not be fulfilled, and why; once per order. */
  public static SendEmail orderRejected(String orderId, String to, String reason, String sku) {
    String why = switch (reason == null ? "" : reason) {
      case "OUT_OF_STOCK" -> "there is not enough stock" + (sku == null ? "" : " of " + sku);
      case "UNKNOWN_SKU" -> "we do not sell " + (sku == null ? "one of the items" : sku);
      default -> "it could not be reserved";
    };
    return new SendEmail("order-rejected:" + orderId, to, "Your order " + orderId + " could not be fulfilled",
        "We are sorry: your order " + orderId + " could not be fulfilled because " + why
            + ". Nothing was charged and nothing will be sent.\n", orderId);
  }

  private static String lines(String heading, List<Line> items) {
    StringBuilder body = new StringBuilder(heading).append('\n');
    items.forEach(line -> body.append("  ").append(line.quantity()).append(" x ").append(line.sku()).append('\n'));
    return body.toString();
  }

  /** The welcome email of a new user, keyed by address so that it goes once. */
  public static SendEmail welcome(String to, String name) {
    return new SendEmail("welcome:" + to, to, "Welcome to orderbus, " + name,
        "Hello " + name + ",\n\nthank you for signing up.\n", null);
  }

  /**
   * @param key     idempotency key: one email per recipient and key however often it is asked for (e.g. {@code order:<id>})
   * @param orderId the order it is about, or null
   */
  public record SendEmail(String key, String to, String subject, String body, String orderId) {
    public JsonObject toJson() {
      return new JsonObject().put("key", key).put("to", to).put("subject", subject).put("body", body)
          .put("orderId", orderId);
    }

    public static SendEmail fromJson(JsonObject json) {
      return new SendEmail(json.getString("key"), json.getString("to"), json.getString("subject"),
          json.getString("body"), json.getString("orderId"));
    }
  }

  /** The request of {@link #LIST}: emails to {@code to} (all if null), {@code limit} of them after page token {@code after}. */
  public record ListEmails(String to, int limit, String after) {
    public JsonObject toJson() {
      return new JsonObject().put("to", to).put("limit", limit).put("after", after);
    }

    public static ListEmails fromJson(JsonObject json) {
      return new ListEmails(json.getString("to"), json.getInteger("limit", DEFAULT_PAGE), json.getString("after"));
    }
  }

  /** The reply of {@link #LIST}: a page of emails, oldest first, and the token of the next page (null on the last). */
  public record SentPage(List<SentEmail> emails, String next) {
    public JsonObject toJson() {
      return new JsonObject().put("emails", new JsonArray(emails.stream().map(SentEmail::toJson).toList())).put("next", next);
    }

    public static SentPage fromJson(JsonObject json) {
      return new SentPage(json.getJsonArray("emails", new JsonArray()).stream()
          .map(o -> SentEmail.fromJson((JsonObject) o)).toList(), json.getString("next"));
    }
  }

  /** The request of {@link #CANCEL}. */
  public record CancelEmail(String to, String key) {
    public JsonObject toJson() {
      return new JsonObject().put("to", to).put("key", key);
    }

    public static CancelEmail fromJson(JsonObject json) {
      return new CancelEmail(json.getString("to"), json.getString("key"));
    }
  }

  /** The reply of {@link #CANCEL}: the email as sent, or null once it is cancelled for good. */
  static JsonObject cancelled(SentEmail sent) {
    return sent == null ? new JsonObject().put("outcome", "CANCELLED")
        : new JsonObject().put("outcome", "SENT").put("email", sent.toJson());
  }

  static SentEmail cancelledFromJson(JsonObject reply) {
    return "SENT".equals(reply.getString("outcome")) ? SentEmail.fromJson(reply.getJsonObject("email")) : null;
  }

  public record SentEmail(String key, String to, String subject, String body, String orderId, long sentAt, String node) {
    public JsonObject toJson() {
      return new JsonObject().put("key", key).put("to", to).put("subject", subject).put("body", body)
          .put("orderId", orderId).put("sentAt", sentAt).put("node", node);
    }

    public static SentEmail fromJson(JsonObject json) {
      return new SentEmail(json.getString("key"), json.getString("to"), json.getString("subject"),
          json.getString("body"), json.getString("orderId"), json.getLong("sentAt"), json.getString("node"));
    }
  }
}
