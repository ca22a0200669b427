package io.orderbus.email;

import io.orderbus.inventory.InventoryContract.Line;
import io.orderbus.messaging.GroupSpec;
import io.orderbus.order.OrderContract;
import io.orderbus.user.UserContract;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** What the email service answers on the event bus, what it publishes, and how it fails. */
public final class EmailContract {

  /** Request: {@link SendEmail}; reply: the {@link SentEmail} (the first one, if the key was sent before). */
  public static final String SEND = "email.send";
  /** Request: {@code {"to": optional}}; reply: {@code {"emails": [...]}} oldest first. */
  public static final String LIST = "email.list";

  public static final String EMAIL_SENT = "EmailSent";

  /** The email group confirms every order and welcomes every new user. */
  public static final GroupSpec GROUP =
      new GroupSpec("email", Set.of(OrderContract.ORDER_CREATED, UserContract.USER_SIGNED_UP));

  public static final int INVALID_REQUEST = 3001;
  /** Another member (or an earlier attempt) is sending this email right now; try again later. */
  public static final int BEING_SENT = 3002;
  /** The SMTP server could not be reached or refused the email. */
  public static final int SMTP_FAILED = 3003;

  /** What an address must look like to be mailed to (deliberately loose: local@domain.tld). */
  public static final java.util.regex.Pattern ADDRESS =
      java.util.regex.Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}$");

  public static final String SENT_MAP = "email.sent";

  private EmailContract() {
  }

  /** The confirmation of an order; both order paths send this one, keyed by order so that it goes once. */
  public static SendEmail orderConfirmation(String orderId, String to, List<Line> items) {
    StringBuilder body = new StringBuilder("Thank you for your order ").append(orderId).append(":\n");
    items.forEach(line -> body.append("  ").append(line.quantity()).append(" x ").append(line.sku()).append('\n'));
    return new SendEmail("order:" + orderId, to, "Your order " + orderId, body.toString(), orderId);
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
