package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

/**
 * One event as a handler sees it.
 *
 * @param id          unique per event; handlers make their effects idempotent by it
 * @param topic       what happened, e.g. {@code OrderCreated}
 * @param payload     the event's data
 * @param publishedAt epoch millis when the producer published it
 * @param publishedBy name of the node that accepted it
 * @param attempt     1 on first delivery, higher on redelivery
 * @param traceId     the {@link Trace} id of the request that published it; null for one published outside any
 *                    request, or stored before events carried one
 */
public record Event(String id, String topic, JsonObject payload, long publishedAt, String publishedBy, int attempt,
                    String traceId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("topic", topic)
        .put("payload", payload)
        .put("publishedAt", publishedAt)
        .put("publishedBy", publishedBy)
        .put("attempt", attempt);
    return traceId == null ? json : json.put("traceId", traceId);
  }

  /** Reads both forms: {@code payload} as an object, or {@code payloadJson} as text (durable delivery's wire form). */
  public static Event fromJson(JsonObject json) {
    String text = json.getString("payloadJson");
    JsonObject payload = text != null ? new JsonObject(text) : json.getJsonObject("payload");
    return new Event(json.getString("id"), json.getString("topic"), payload,
        json.getLong("publishedAt"), json.getString("publishedBy"), json.getInteger("attempt", 1),
        json.getString("traceId"));
  }
}
