package io.orderbus.messaging;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.vertx.core.json.JsonObject;

import java.io.EOFException;
import java.io.IOException;

/**
 * What the cluster keeps for one (group, event) until a member acknowledges it. Public fields, because
 * Hazelcast queries them ({@code nextAttemptAt}, {@code group}) where the entry lives. DataSerializable
 * rather than Serializable: written on every publish and every backup, Java serialization would cost
 * several times more.
 */
public final class PendingEntry implements DataSerializable, java.io.Serializable {
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
  /** Hazelcast member UUID of the node that answers for the entry until it is acknowledged. */
  public String holder;
  /** When the first attempt failed, 0 while none has. */
  public long firstFailureAt;
  /** The {@link Trace} id of the request that published it; null if none (or stored before entries had one). */
  public String traceId;

  public PendingEntry() {
  }

  public PendingEntry(String group, String topic, String eventId, String payload, long publishedAt,
                      String publishedBy, long nextAttemptAt, String holder) {
    this.group = group;
    this.topic = topic;
    this.eventId = eventId;
    this.payload = payload;
    this.publishedAt = publishedAt;
    this.publishedBy = publishedBy;
    this.nextAttemptAt = nextAttemptAt;
    this.holder = holder;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(group);
    out.writeString(topic);
    out.writeString(eventId);
    out.writeString(payload);
    out.writeLong(publishedAt);
    out.writeString(publishedBy);
    out.writeInt(attempts);
    out.writeLong(nextAttemptAt);
    out.writeString(lastError);
    out.writeLong(deadAt);
    out.writeString(holder);
    out.writeLong(firstFailureAt);
    // Last, so that an entry stored before it existed still reads (below).
    out.writeString(traceId);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    group = in.readString();
    topic = in.readString();
    eventId = in.readString();
    payload = in.readString();
    publishedAt = in.readLong();
    publishedBy = in.readString();
    attempts = in.readInt();
    nextAttemptAt = in.readLong();
    lastError = in.readString();
    deadAt = in.readLong();
    holder = in.readString();
    firstFailureAt = in.readLong();
    traceId = readTraceId(in);
  }

  /**
   * An entry stored before entries carried a trace id ends here: its value is a blob of its own in the map, so the
   * read runs out of bytes rather than into another object's.
   */
  private static String readTraceId(ObjectDataInput in) throws IOException {
    try {
      return in.readString();
    } catch (EOFException olderForm) {
      return null;
    }
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

  public PendingEntry copy() {
    PendingEntry c = new PendingEntry(group, topic, eventId, payload, publishedAt, publishedBy, nextAttemptAt, holder);
    c.attempts = attempts;
    c.lastError = lastError;
    c.deadAt = deadAt;
    c.firstFailureAt = firstFailureAt;
    c.traceId = traceId;
    return c;
  }

  /** The event as it travels to a member: the payload stays the text it was stored as, parsed only there. */
  JsonObject toWire(int attempt) {
    JsonObject wire = new JsonObject().put("id", eventId).put("topic", topic).put("payloadJson", payload)
        .put("publishedAt", publishedAt).put("publishedBy", publishedBy).put("attempt", attempt);
    return traceId == null ? wire : wire.put("traceId", traceId);
  }

}
