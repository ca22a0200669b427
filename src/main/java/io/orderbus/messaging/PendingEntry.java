package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

import java.io.Serializable;

/**
 * What the cluster keeps for one (group, event) until a member acknowledges it. Public fields, because
 * Hazelcast queries them ({@code nextAttemptAt}, {@code group}) where the entry lives.
 */
public final class PendingEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  public String group;
  public String topic;
  public String eventId;
  public String payload;
  public long publishedAt;
  public String publishedBy;
  public int attempts;
  public long nextAttemptAt;
  public String lastError;
  public long deadAt;

  public PendingEntry() {
  }

  public PendingEntry(String group, String topic, String eventId, String payload, long publishedAt,
                      String publishedBy, long nextAttemptAt) {
    this.group = group;
    this.topic = topic;
    this.eventId = eventId;
    this.payload = payload;
    this.publishedAt = publishedAt;
    this.publishedBy = publishedBy;
    this.nextAttemptAt = nextAttemptAt;
  }

  /** {@code <group>:<eventId>}; also the dead letter's id in the admin API, so it must be URL-path safe. */
  public static String key(String group, String eventId) {
    return group + ":" + eventId;
  }

  static String groupOf(String key) {
    return key.substring(0, key.indexOf(':'));
  }

  public String key() {
    return key(group, eventId);
  }

  PendingEntry copy() {
    PendingEntry c = new PendingEntry(group, topic, eventId, payload, publishedAt, publishedBy, nextAttemptAt);
    c.attempts = attempts;
    c.lastError = lastError;
    c.deadAt = deadAt;
    return c;
  }

  Event toEvent(int attempt) {
    return new Event(eventId, topic, new JsonObject(payload), publishedAt, publishedBy, attempt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", key())
        .put("group", group)
        .put("topic", topic)
        .put("eventId", eventId)
        .put("payload", new JsonObject(payload))
        .put("publishedAt", publishedAt)
        .put("publishedBy", publishedBy)
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("deadAt", deadAt == 0 ? null : deadAt);
  }
}
