package io.orderbus.order;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What each {@code Idempotency-Key} stands for: the order placed under it, the request it came with, and
 * once the first attempt answered, that answer, for every retry to repeat. Kept 24 hours. Blocking
 * Hazelcast calls run on a worker; every change is conditional on what the caller last saw, so two
 * requests with the same key never both place the order.
 */
final class IdempotencyKeys {
  static final Duration TTL = Duration.ofHours(24);

  /** Someone is placing the order now. */
  static final String PLACING = "PLACING";
  /** The first attempt answered; {@code failureCode} 0 means it succeeded. */
  static final String ANSWERED = "ANSWERED";
  /** An attempt ended without an answer worth repeating (an internal error): the next one resumes the order. */
  static final String OPEN = "OPEN";

  /**
   * @param fingerprint the request it was claimed for: the same key with another request is refused
   * @param at          when its state was last set, on the cluster's clock
   */
  record Claim(String orderId, String fingerprint, String state, long at, int failureCode, String failureMessage) {
    static Claim placing(String orderId, String fingerprint, long now) {
      return new Claim(orderId, fingerprint, PLACING, now, 0, null);
    }

    Claim with(String newState, int code, String message, long now) {
      return new Claim(orderId, fingerprint, newState, now, code, message);
    }

    String toJson() {
      return new JsonObject().put("orderId", orderId).put("fingerprint", fingerprint).put("state", state).put("at", at)
          .put("failureCode", failureCode).put("failureMessage", failureMessage).encode();
    }

    static Claim fromJson(String json) {
      JsonObject o = new JsonObject(json);
      return new Claim(o.getString("orderId"), o.getString("fingerprint"), o.getString("state"), o.getLong("at"),
          o.getInteger("failureCode", 0), o.getString("failureMessage"));
    }
  }

  private final Vertx vertx;
  private final IMap<String, String> keys;

  IdempotencyKeys(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.keys = hazelcast.getMap(OrderContract.IDEMPOTENCY_MAP);
  }

  /** Claims {@code key} for {@code mine}: null when it is ours now, else the claim that stands. */
  Future<Claim> claim(String key, Claim mine) {
    return vertx.executeBlocking(() -> {
      String previous = keys.putIfAbsent(key, mine.toJson(), TTL.toSeconds(), TimeUnit.SECONDS);
      return previous == null ? null : Claim.fromJson(previous);
    }, false);
  }

  /** Replaces {@code seen} by {@code next}, unless someone changed it since: true when {@code next} stands. */
  Future<Boolean> replace(String key, Claim seen, Claim next) {
    return vertx.executeBlocking(() -> {
      if (!keys.replace(key, seen.toJson(), next.toJson())) {
        return false;
      }
      // A replace may drop the entry's own time to live: keep the 24 hours.
      keys.setTtl(key, TTL.toSeconds(), TimeUnit.SECONDS);
      return true;
    }, false);
  }

  /** Forgets the key if {@code mine} still stands: a retry then starts afresh. True if forgotten. */
  Future<Boolean> forget(String key, Claim mine) {
    return vertx.executeBlocking(() -> keys.remove(key, mine.toJson()), false);
  }
}
