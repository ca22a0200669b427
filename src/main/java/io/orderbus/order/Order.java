package io.orderbus.order;

import io.orderbus.events.Line;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An order as stored and as {@code GET /orders/{id}} shows it.
 *
 * @param timeline    what happened, on which node, when: the trace that async messaging otherwise hides
 * @param traceId     the trace id of the request that placed it (the {@code X-Request-Id} the gateway answered), which
 *                    every node's log lines about it carry; null for an order placed before orders had one
 */
public record Order(String id, String customerEmail, List<Line> items, OrderMode mode, OrderStatus status, String reason,
                    EmailStatus emailStatus, long createdAt, List<TimelineEntry> timeline, String traceId) {

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
        .put("items", Line.toJson(items))
        .put("mode", mode.wire())
        .put("status", status.name())
        .put("reason", reason)
        .put("emailStatus", emailStatus.name())
        .put("createdAt", createdAt)
        .put("timeline", new JsonArray(timeline.stream().map(TimelineEntry::toJson).toList()))
        .put("traceId", traceId);
  }

  public static Order fromJson(JsonObject json) {
    return new Order(json.getString("id"), json.getString("customerEmail"),
        json.getJsonArray("items").stream().map(o -> Line.fromJson((JsonObject) o)).toList(),
        OrderMode.parse(json.getString("mode")), OrderStatus.valueOf(json.getString("status")), json.getString("reason"),
        EmailStatus.valueOf(json.getString("emailStatus")),
        json.getLong("createdAt"),
        json.getJsonArray("timeline").stream().map(o -> TimelineEntry.fromJson((JsonObject) o)).toList(),
        json.getString("traceId"));
  }

  public boolean isFinal() {
    return status.isFinal();
  }

  /**
   * Nothing more will happen to it: its status is final and, on the async path, its email is sent. (A sync
   * order is settled when its request ends; its email status then says whether the email went out.)
   */
  public boolean isSettled() {
    return isFinal() && (mode == OrderMode.SYNC || emailStatus != EmailStatus.PENDING);
  }
}
