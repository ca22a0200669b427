package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each group's backlog as a producer on this node sees it: exactly what this node answers for (counted
 * from the moment a publish is accepted), plus what every other live node said it answers for, at most
 * {@link #STALE_MS} ago (each node says what changed every {@link #SHARE_MS}, and repeats what did not every
 * {@link #REPEAT_MS}). So one producer never overshoots the bound, and several overshoot it by at most
 * what they accepted in the last interval; nothing accepted is ever dropped.
 */
final class BacklogGauge {
  private static final long SHARE_MS = 500;
  /** Unchanged non-zero counts are repeated this often, so that receivers never take them for stale. */
  private static final long REPEAT_MS = 2000;
  private static final long STALE_MS = 3000;

  private record Heard(long at, JsonObject counts) {
  }

  private final Vertx vertx;
  private final String self;
  private final MemberDirectory directory;
  private final Map<String, AtomicLong> local = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> drained = new ConcurrentHashMap<>();
  private final Map<String, Double> drainPerSecond = new ConcurrentHashMap<>();
  private final Map<String, Heard> others = new ConcurrentHashMap<>();
  private long lastShared;
  private long lastSent;
  private JsonObject lastCounts = new JsonObject();

  BacklogGauge(Vertx vertx, String self, MemberDirectory directory) {
    this.vertx = vertx;
    this.self = self;
    this.directory = directory;
  }

  Future<Void> start() {
    lastShared = System.currentTimeMillis();
    vertx.setPeriodic(SHARE_MS, id -> share());
    return vertx.eventBus().<JsonObject>consumer(MessagingContract.BACKLOG_ADDRESS, m -> {
      String node = m.body().getString("node");
      if (!self.equals(node)) {
        // Stamped on arrival by this JVM's clock, and aged by it: no other node's time is compared here.
        others.put(node, new Heard(System.currentTimeMillis(), m.body().getJsonObject("counts")));
      }
    }).completion();
  }

  /** An event of {@code group} this node now answers for. */
  void reserve(String group) {
    counter(local, group).incrementAndGet();
  }

  /** Events this node no longer answers for: acknowledged, dead, or never stored. */
  void left(String group, int count) {
    counter(local, group).addAndGet(-count);
    counter(drained, group).addAndGet(count);
  }

  long estimate(String group) {
    long now = System.currentTimeMillis();
    long total = counter(local, group).get();
    var live = directory.liveNodes();
    for (Map.Entry<String, Heard> heard : others.entrySet()) {
      if (live.contains(heard.getKey()) && now - heard.getValue().at() < STALE_MS) {
        total += heard.getValue().counts().getLong(group, 0L);
      }
    }
    return Math.max(0, total);
  }

  /** Roughly how long until a tenth of the bound has drained at this node's recent pace; 1 to 30 s. */
  int retryAfterSeconds(String group, int maxBacklog) {
    double rate = drainPerSecond.getOrDefault(group, 0.0);
    if (rate <= 0) {
      return 30;
    }
    return (int) Math.max(1, Math.min(30, Math.ceil(maxBacklog / 10.0 / rate)));
  }

  private void share() {
    long now = System.currentTimeMillis();
    double seconds = Math.max(0.001, (now - lastShared) / 1000.0);
    lastShared = now;
    drained.forEach((group, count) -> drainPerSecond.merge(group, count.getAndSet(0) / seconds,
        (old, fresh) -> 0.7 * old + 0.3 * fresh));
    JsonObject counts = new JsonObject();
    local.forEach((group, count) -> {
      if (count.get() > 0) {
        counts.put(group, count.get());
      }
    });
    // An idle cluster says nothing: a count that stays at zero needs no repeating (stale reads as zero).
    boolean changed = !counts.equals(lastCounts);
    if (changed || (!counts.isEmpty() && now - lastSent >= REPEAT_MS)) {
      lastCounts = counts;
      lastSent = now;
      vertx.eventBus().publish(MessagingContract.BACKLOG_ADDRESS, new JsonObject().put("node", self).put("counts", counts));
    }
  }

  private static AtomicLong counter(Map<String, AtomicLong> map, String group) {
    return map.computeIfAbsent(group, g -> new AtomicLong());
  }
}
