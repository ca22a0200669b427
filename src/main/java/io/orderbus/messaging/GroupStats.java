package io.orderbus.messaging;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

/**
 * One consumer group, cluster-wide, at one moment.
 *
 * @param topics             what the group consumes
 * @param pending            events not yet acknowledged
 * @param deadLetters        events given up on
 * @param oldestPendingAgeMs age of the oldest pending event, 0 when none is
 */
public record GroupStats(Set<String> topics, long pending, long deadLetters, long oldestPendingAgeMs) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("topics", new JsonArray(new ArrayList<>(new TreeSet<>(topics))))
        .put("pending", pending)
        .put("deadLetters", deadLetters)
        .put("oldestPendingAgeMs", oldestPendingAgeMs);
  }
}
