package io.orderbus.events;

import io.vertx.core.json.JsonObject;

/** What the email service publishes. */
public final class EmailEvents {
  /** An async order's email went out; payload {@link EmailSent}. */
  public static final String EMAIL_SENT = "EmailSent";

  private EmailEvents() {
  }

  public record EmailSent(String orderId, String to, long sentAt) {
    public JsonObject toJson() {
      return new JsonObject().put("orderId", orderId).put("to", to).put("sentAt", sentAt);
    }

    public static EmailSent fromJson(JsonObject json) {
      return new EmailSent(json.getString("orderId"), json.getString("to"), json.getLong("sentAt", 0L));
    }
  }
}
