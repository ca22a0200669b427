package io.orderbus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits for the work of a load to drain, then reads back every order it placed.
 *
 * <p>First it watches the backlog ({@code GET /cluster}: pending events summed over the groups) until it is
 * empty: a handler publishes its follow-up event before its own event is acknowledged, so an empty backlog
 * means nothing more will happen to any order (each event was handled, or dead-lettered). Only then does
 * it GET each order, so that polling thousands of orders does not compete with the drain it waits for.
 */
public final class OrderWatch {
  /** Not more often: {@code GET /cluster} lists every pending key to say which node owns it. */
  private static final long BACKLOG_POLL_MS = 500;
  /** Orders still unsettled once the backlog is empty are read again for this long (a late read of a replica). */
  private static final Duration RECHECK = Duration.ofSeconds(5);
  private static final int CONCURRENCY = 8;

  /**
   * {@code orders}: each order's last state (absent if it could not be read); {@code unsettled}: ids not
   * {@linkplain #settled settled}; {@code backlogAtStart}: pending events when the watch began (-1 if
   * unknown); {@code emptyAt}: when the backlog was first seen empty ({@link System#nanoTime()}), or -1 if
   * it was not within the timeout.
   */
  public record Result(Map<String, JsonObject> orders, Set<String> unsettled, long backlogAtStart, long emptyAt) {
    public boolean drained() {
      return emptyAt >= 0;
    }
  }

  private OrderWatch() {
  }

  /** An order is settled when its stock is decided (CONFIRMED or REJECTED) and its email sent. */
  public static boolean settled(JsonObject order) {
    return order != null && !"ACCEPTED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
  }

  /** An order's state in one line, for a report on the unsettled: status, email status and the timeline's events. */
  public static String describe(JsonObject order) {
    if (order == null) {
      return "(could not be read)";
    }
    StringBuilder events = new StringBuilder();
    JsonArray timeline = order.getJsonArray("timeline", new JsonArray());
    for (int i = 0; i < timeline.size(); i++) {
      events.append(i == 0 ? "" : ", ").append(timeline.getJsonObject(i).getString("event"));
    }
    return order.getString("status") + ", email " + order.getString("emailStatus") + "; timeline: " + events;
  }

  /**
   * When a settled order settled ({@link System#currentTimeMillis()} of the node that did it): the later of its
   * final status (CONFIRMED or REJECTED, as the order service applied it) and its EmailSent (as the email
   * node published it; the order shows SENT once the order service has applied that).
   */
  public static long settledAt(JsonObject order) {
    JsonArray timeline = order.getJsonArray("timeline", new JsonArray());
    long at = 0;
    for (int i = 0; i < timeline.size(); i++) {
      JsonObject step = timeline.getJsonObject(i);
      String event = step.getString("event");
      if ("CONFIRMED".equals(event) || "REJECTED".equals(event) || "EmailSent".equals(event)) {
        at = Math.max(at, step.getLong("at"));
      }
    }
    return at;
  }

  /** Pending events of every group, from a {@code GET /cluster} answer. */
  public static long backlog(JsonObject cluster) {
    JsonObject groups = cluster == null ? new JsonObject() : cluster.getJsonObject("groups", new JsonObject());
    long sum = 0;
    for (String group : groups.fieldNames()) {
      sum += groups.getJsonObject(group).getLong("pending", 0L);
    }
    return sum;
  }

  /**
   * Waits (at most {@code timeout}) for the backlog to empty, then reads the orders {@code ids}. {@code client} must
   * send the admin token ({@code GET /cluster} is an operator route; see {@link io.orderbus.gateway.OperatorClient}).
   */
  public static Future<Result> await(Context context, WebClient client, Collection<String> ids, Duration timeout) {
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> new Watch(context.owner(), client, ids, timeout, done).watchBacklog());
    return done.future();
  }

  /** One watch's state; touched only on its event loop. */
  private static final class Watch {
    private final Vertx vertx;
    private final WebClient client;
    private final Set<String> remaining;
    private final long deadline;
    private final Promise<Result> done;
    private final Map<String, JsonObject> orders = new HashMap<>();
    private long backlogAtStart = -1;
    private long emptyAt = -1;

    Watch(Vertx vertx, WebClient client, Collection<String> ids, Duration timeout, Promise<Result> done) {
      this.vertx = vertx;
      this.client = client;
      this.remaining = new LinkedHashSet<>(ids);
      this.deadline = System.nanoTime() + timeout.toNanos();
      this.done = done;
    }

    void watchBacklog() {
      client.get("/cluster").send().onComplete(ar -> {
        long now = System.nanoTime();
        // A failed read (the gateway busy) says nothing: ask again.
        long backlog = ar.succeeded() && ar.result().statusCode() == 200 ? backlog(ar.result().bodyAsJsonObject()) : -1;
        if (backlogAtStart < 0 && backlog >= 0) {
          backlogAtStart = backlog;
        }
        if (backlog == 0) {
          emptyAt = now;
          sweep();
        } else if (now > deadline) {
          sweep();
        } else {
          vertx.setTimer(BACKLOG_POLL_MS, t -> watchBacklog());
        }
      });
    }

    /** Reads every order not yet seen settled, {@link #CONCURRENCY} at a time. */
    private void sweep() {
      List<String> batch = new ArrayList<>(remaining);
      Iterator<String> next = batch.iterator();
      int[] running = {0};
      Runnable[] step = new Runnable[1];
      step[0] = () -> {
        while (running[0] < CONCURRENCY && next.hasNext()) {
          String id = next.next();
          running[0]++;
          client.get("/orders/" + id).send().onComplete(ar -> {
            running[0]--;
            if (ar.succeeded() && ar.result().statusCode() == 200) {
              JsonObject order = ar.result().bodyAsJsonObject();
              orders.put(id, order);
              if (settled(order)) {
                remaining.remove(id);
              }
            }
            step[0].run();
          });
        }
        if (running[0] == 0 && !next.hasNext()) {
          afterSweep();
        }
      };
      step[0].run();
    }

    private void afterSweep() {
      long now = System.nanoTime();
      boolean recheckOver = emptyAt < 0 || now - emptyAt > RECHECK.toNanos();
      if (remaining.isEmpty() || recheckOver || now > deadline) {
        done.complete(new Result(orders, Set.copyOf(remaining), backlogAtStart, emptyAt));
      } else {
        vertx.setTimer(500, t -> sweep());
      }
    }
  }
}
