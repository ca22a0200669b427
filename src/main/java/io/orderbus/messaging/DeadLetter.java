package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

/**
 * An event a group gave up on, as an operator sees it.
 *
 * @param id          {@code <group>:<eventId>}, the handle to replay it by
 * @param attempts    failed attempts before it was given up on
 * @param lastError   what the last attempt failed with
 * @param deadAt      epoch millis when it was given up on (0 for one replayed and pending again)
 * @param traceId     the {@link Trace} id of the request that published it, to find its log lines by; may be null
 */
public record DeadLetter(String id, String group, String topic, String eventId, JsonObject payload, long publishedAt,
                         String publishedBy, int attempts, String lastError, long deadAt, String traceId) {

  static DeadLetter of(PendingEntry entry) {
    return new DeadLetter(entry.key(), entry.group, entry.topic, entry.eventId, new JsonObject(entry.payload),
        entry.publishedAt, entry.publishedBy, entry.attempts, entry.lastError, entry.deadAt, entry.traceId);
  }

  /** Where a page of the list that ends with this one goes on. */
  public PageCursor cursor() {
    return new PageCursor(deadAt, id);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("group", group)
        .put("topic", topic)
        .put("eventId", eventId)
        .put("payload", payload)
        .put("publishedAt", publishedAt)
        .put("publishedBy", publishedBy)
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("deadAt", deadAt == 0 ? null : deadAt)
        .put("traceId", traceId);
  }
}
