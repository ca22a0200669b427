package io.orderbus.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** What a test asks the gateway about durable delivery: pending events, dead letters. */
public final class DeliveryCheck {
  private DeliveryCheck() {
  }

  /**
   * Waits until no consumer group has a pending event: everything published was handled (or dead-lettered).
   * Zero must be seen twice in a row, as the groups are counted one after the other.
   */
  public static void awaitNothingPending(Api api, Duration timeout) {
    AtomicInteger zeros = new AtomicInteger();
    Eventually.until(timeout, "no pending event left in any group", () -> {
      JsonObject groups = api.get("/cluster").json().getJsonObject("groups");
      long pending = groups.fieldNames().stream().mapToLong(g -> groups.getJsonObject(g).getLong("pending")).sum();
      if (pending > 0) {
        zeros.set(0);
        return false;
      }
      return zeros.incrementAndGet() >= 2;
    });
  }

  /** The dead letters ({@code GET /admin/dead-letters}, as many as it lists). */
  public static JsonArray deadLetters(Api api) {
    Api.Response response = api.get("/admin/dead-letters?limit=10000");
    if (response.status() != 200) {
      throw new AssertionError("GET /admin/dead-letters answered " + response.status() + ": " + response.body());
    }
    return response.json().getJsonArray("deadLetters");
  }

  /** One dead letter in a line: group, topic, attempts and last error. */
  public static String describe(JsonObject deadLetter) {
    return deadLetter.getString("group") + "/" + deadLetter.getString("topic") + " after "
        + deadLetter.getValue("attempts") + " attempts: " + deadLetter.getString("lastError");
  }
}
