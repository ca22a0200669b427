package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

/**
 * An event a group has not acknowledged yet, as an operator sees it: who answers for it and when it is
 * tried next. What to look at when a backlog does not drain.
 *
 * @param id            {@code <group>:<eventId>}
 * @param holder        the node that dispatches it (by Vert.x node id); another adopts it if that node leaves
 * @param attempts      failed attempts so far
 * @param nextAttemptAt cluster time (epoch millis) of its next attempt
 * @param traceId       the {@link Trace} id of the request that published it, to find its log lines by; may be null
 */
public record PendingEvent(String id, String group, String topic, String eventId, long publishedAt, String publishedBy,
                           String holder, int attempts, long nextAttemptAt, String lastError, String traceId) {

  static PendingEvent of(PendingEntry entry) {
    return new PendingEvent(entry.key(), entry.group, entry.topic, entry.eventId, entry.publishedAt, entry.publishedBy,
        entry.holder, entry.attempts, entry.nextAttemptAt, entry.lastError, entry.traceId);
  }

  /** Where a page of the list that ends with this one goes on. */
  public PageCursor cursor() {
    return new PageCursor(publishedAt, id);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("group", group)
        .put("topic", topic)
        .put("eventId", eventId)
        .put("publishedAt", publishedAt)
        .put("publishedBy", publishedBy)
        .put("holder", holder)
        .put("attempts", attempts)
        .put("nextAttemptAt", nextAttemptAt)
        .put("lastError", lastError)
        .put("traceId", traceId);
  }
}
