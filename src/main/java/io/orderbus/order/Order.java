package io.orderbus.order;

import io.orderbus.events.Line;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An order as stored and as {@code GET /orders/{id}} shows it.
 *
 * @param status      ACCEPTED, then CONFIRMED, REJECTED (out of stock) or FAILED (sync path: a service was down)
 * @param emailStatus PENDING, SENT or FAILED
 * @param timeline    what happened, on which node, when: the trace that async messaging otherwise hides
 */
public record Order(String id, String customerEmail, List<Line> items, String mode, String status, String reason,
                    String emailStatus, long createdAt, List<TimelineEntry> timeline) {

  public static final String ACCEPTED = "ACCEPTED";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String REJECTED = "REJECTED";
  public static final String FAILED = "FAILED";

  /** One step of an order's life. {@code key} makes applying the same step twice a no-op. */
  public record TimelineEntry(String event, String node, long at, String key) {
    public JsonObject toJson() {
      return new JsonObject().put("event", event).put("node", node).put("at", at).put("key", key);
    }

    public static TimelineEntry fromJson(JsonObject json) {
      return new TimelineEntry(json.getString("event"), json.getString("node"), json.getLong("at"), json.getString("key"));
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("customerEmail", customerEmail)
        .put("items", new JsonArray(items.stream().map(Line::toJson).toList()))
        .put("mode", mode)
        .put("status", status)
        .put("reason", reason)
        .put("emailStatus", emailStatus)
        .put("createdAt", createdAt)
        .put("timeline", new JsonArray(timeline.stream().map(TimelineEntry::toJson).toList()));
  }

  public static Order fromJson(JsonObject json) {
    return new Order(json.getString("id"), json.getString("customerEmail"),
        json.getJsonArray("items").stream().map(o -> Line.fromJson((JsonObject) o)).toList(),
        json.getString("mode"), json.getString("status"), json.getString("reason"), json.getString("emailStatus"),
        json.getLong("createdAt"),
        json.getJsonArray("timeline").stream().map(o -> TimelineEntry.fromJson((JsonObject) o)).toList());
  }

  public boolean isFinal() {
    return !ACCEPTED.equals(status);
  }

  /**
   * Nothing more will happen to it: its status is final and, on the async path, its email is sent. (A sync
   * order is settled when its request ends; its email status then says whether the email went out.)
   */
  public boolean isSettled() {
    return isFinal() && (mode.equals("sync") || !"PENDING".equals(emailStatus));
  }
}
