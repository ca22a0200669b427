package io.orderbus.gateway;

import io.orderbus.messaging.DeliveryAdmin;
import io.orderbus.messaging.GroupStats;
import io.orderbus.order.OrderContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the dashboard is sent, as server-sent-event frames: every {@code tick} a {@code cluster} event (the live
 * nodes with their roles, and per consumer group pending, in flight, dead letters, oldest pending age, members), and
 * every {@code flush} an {@code orders} event with the orders that changed since the last one.
 *
 * <p>Order changes come from the live {@link OrderContract#STATUS} publications, which this gateway hears only
 * between {@link #start} and {@link #stop}: while no dashboard is open, it is not sent every order's every change.
 * They are coalesced per order (its latest state) and at most {@link #MAX_HELD} orders are held between two
 * flushes: under a spike the browser gets a few frames a second, never one per change, and the oldest changes past
 * the bound are dropped and counted ({@code dropped}), as a live view may (the order itself is one
 * {@code GET /orders/{id}} away).
 *
 * <p>Runs on the gateway verticle's event loop only, as the consumer and the timers do, so it needs no locks.
 */
final class DashboardFeed {
  /** Orders held between two flushes; past it the oldest change is dropped. */
  static final int MAX_HELD = 500;

  private final Vertx vertx;
  private final ClusterView cluster;
  private final DeliveryAdmin delivery;
  private final Duration tick;
  private final Duration flush;
  private final Map<String, JsonObject> changed = new LinkedHashMap<>();
  private Consumer<String> out;
  private MessageConsumer<String> consumer;
  private long tickTimer = -1;
  private long flushTimer = -1;
  private boolean reading;
  private int dropped;
  /** The last cluster frame, so that a dashboard that joins a running feed has something to draw at once. */
  private String lastCluster;
  /** The problem frame of the failed reads since the last good one, or null. */
  private String problem;

  DashboardFeed(Vertx vertx, ClusterView cluster, DeliveryAdmin delivery, Duration tick, Duration flush) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.delivery = delivery;
    this.tick = tick;
    this.flush = flush;
  }

  /** Starts listening and ticking; every frame goes to {@code out}. Does nothing if already started. */
  void start(Consumer<String> out) {
    if (this.out != null) {
      return;
    }
    this.out = out;
    consumer = vertx.eventBus().consumer(OrderContract.STATUS, message -> hold(new JsonObject(message.body())));
    tickTimer = vertx.setPeriodic(1, tick.toMillis(), t -> readCluster());
    flushTimer = vertx.setPeriodic(flush.toMillis(), t -> flushOrders());
  }

  /** Stops listening and ticking, and forgets what it held. */
  void stop() {
    if (out == null) {
      return;
    }
    out = null;
    consumer.unregister();
    consumer = null;
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(flushTimer);
    changed.clear();
    dropped = 0;
    lastCluster = null;
    problem = null;
  }

  /** The last {@code cluster} frame sent, or null before the first. */
  String lastCluster() {
    return lastCluster;
  }

  private void readCluster() {
    // A read slower than the tick is not joined by a second one: the cluster would be asked ever more often.
    if (reading) {
      return;
    }
    reading = true;
    Future.all(cluster.nodes(), delivery.groupStats()).onComplete(ar -> {
      reading = false;
      if (out == null) {
        return;
      }
      if (ar.succeeded()) {
        problem = null;
        lastCluster = frame("cluster", view(ar.result().resultAt(0), ar.result().resultAt(1)));
        out.accept(lastCluster);
      } else {
        // A cluster that cannot be read stays so a while: the first failure of a run is described (and logged if
        // unexpected) and repeated, not logged once a second.
        if (problem == null) {
          problem = frame("problem", ErrorMapping.of(ar.cause(), "cluster").body());
        }
        out.accept(problem);
      }
    });
  }

  private JsonObject view(List<JsonObject> nodes, Map<String, GroupStats> stats) {
    JsonObject groups = new JsonObject();
    stats.forEach((group, s) -> {
      long inFlight = 0;
      int members = 0;
      for (JsonObject node : nodes) {
        inFlight += node.getJsonObject("inFlight", new JsonObject()).getInteger(group, 0);
        members += node.getJsonArray("groups", new JsonArray()).contains(group) ? 1 : 0;
      }
      groups.put(group, new JsonObject().put("pending", s.pending()).put("inFlight", inFlight)
          .put("deadLetters", s.deadLetters()).put("oldestPendingAgeMs", s.oldestPendingAgeMs()).put("members", members));
    });
    List<JsonObject> shown = new ArrayList<>();
    for (JsonObject node : nodes) {
      shown.add(new JsonObject().put("name", node.getString("name")).put("roles", node.getJsonArray("roles"))
          .put("http", node.getString("http")).put("startedAt", node.getLong("startedAt")));
    }
    return new JsonObject().put("at", cluster.clusterTime()).put("gateway", cluster.nodeName())
        .put("nodes", new JsonArray(shown)).put("groups", groups);
  }

  private void hold(JsonObject order) {
    JsonObject summary = summary(order);
    JsonObject before = changed.get(summary.getString("id"));
    // Publications may arrive out of order; the timeline only grows, so the longer one is the newer state.
    if (before != null && before.getInteger("steps") > summary.getInteger("steps")) {
      return;
    }
    if (before == null && changed.size() >= MAX_HELD) {
      Iterator<String> oldest = changed.keySet().iterator();
      oldest.next();
      oldest.remove();
      dropped++;
    }
    changed.put(summary.getString("id"), summary);
  }

  private void flushOrders() {
    if (changed.isEmpty() || out == null) {
      return;
    }
    JsonObject batch = new JsonObject().put("orders", new JsonArray(new ArrayList<>(changed.values())))
        .put("dropped", dropped);
    changed.clear();
    dropped = 0;
    out.accept(frame("orders", batch));
  }

  /**
   * What the dashboard shows of an order: no customer address or items (a live view needs neither; the operator can
   * read the order itself), its last step and the number of steps.
   */
  private static JsonObject summary(JsonObject order) {
    JsonArray timeline = order.getJsonArray("timeline", new JsonArray());
    JsonObject last = timeline.isEmpty() ? new JsonObject() : timeline.getJsonObject(timeline.size() - 1);
    return new JsonObject().put("id", order.getString("id")).put("mode", order.getString("mode"))
        .put("status", order.getString("status")).put("emailStatus", order.getString("emailStatus"))
        .put("reason", order.getString("reason")).put("createdAt", order.getLong("createdAt"))
        .put("steps", timeline.size()).put("lastEvent", last.getString("event")).put("lastNode", last.getString("node"))
        .put("lastAt", last.getLong("at"));
  }

  /** One server-sent event; JSON as Vert.x encodes it holds no line break, so one {@code data:} line suffices. */
  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
