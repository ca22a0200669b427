package io.orderbus.messaging;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's membership of one group: takes the events dispatchers hand it, up to its credit (prefetch),
 * handles at most {@code consumerConcurrency} at once, and as each one finishes acknowledges it in the
 * store itself (so an event it handled is redelivered only if this node dies before the delete lands)
 * and tells its dispatcher, which frees the credit. Time spent waiting here is not a timeout; a handler
 * running past {@code handlerTimeout} is one failed attempt. Every third of a lease it tells dispatchers
 * which of their events it still holds, so a long wait or a long handler is never taken for a loss.
 *
 * <p>All state lives on the subscriber's context.
 */
final class MemberIntake {
  private static final Logger LOG = Logger.getLogger(MemberIntake.class.getName());
  private static final long REMOVE_RETRY_MS = 1000;
  private static final long ACK_GATHER_MS = 1;

  private static final class Held {
    final String id;
    final JsonObject wire;
    final Set<String> from = new LinkedHashSet<>(2);
    long heardOf;
    long timer = -1;
    boolean finished;

    Held(String id, JsonObject wire, String from, long now) {
      this.id = id;
      this.wire = wire;
      this.from.add(from);
      this.heardOf = now;
    }
  }

  private final Vertx vertx;
  private final String group;
  private final String self;
  private final EventHandler handler;
  private final int prefetch;
  private final int concurrency;
  private final DeliverySettings settings;
  private final PendingStore store;
  private final DeliveryMeters.Member meters;
  private final Map<String, Held> held = new HashMap<>();
  private final ArrayDeque<Held> queued = new ArrayDeque<>();
  private final Map<String, JsonObject> reports = new HashMap<>();
  private final java.util.Queue<Deleted> deleted = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean deletedScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  private Context context;
  private int running;
  private boolean starting;
  private long fenceTimer = -1;
  private volatile int heldNow;
  private volatile int heldMost;
  private volatile int runningNow;
  private volatile int queuedNow;

  MemberIntake(Vertx vertx, String group, String self, EventHandler handler, DeliverySettings settings,
               PendingStore store, DeliveryMeters.Member meters) {
    this.vertx = vertx;
    this.group = group;
    this.self = self;
    this.handler = handler;
    this.settings = settings;
    this.prefetch = settings.prefetchOf(group);
    this.concurrency = settings.consumerConcurrency();
    this.store = store;
    this.meters = meters;
  }

  /** Registers on the caller's context; succeeds once dispatchers on every node can reach it. */
  Future<Void> start() {
    context = vertx.getOrCreateContext();
    long renewEvery = Math.max(100, settings.lease().toMillis() / 3);
    vertx.setPeriodic(renewEvery, id -> renew(renewEvery));
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(MessagingContract.memberAddress(group, self), this::accept);
    return consumer.completion();
  }

  int prefetch() {
    return prefetch;
  }

  int held() {
    return heldNow;
  }

  /** The most this member has held at once since it started. */
  int heldMost() {
    return heldMost;
  }

  int handling() {
    return runningNow;
  }

  int queued() {
    return queuedNow;
  }

  private void accept(Message<JsonObject> message) {
    String from = message.body().getString("from");
    long now = System.currentTimeMillis();
    for (Object raw : message.body().getJsonArray("events", JsonArray.of())) {
      JsonObject wire = (JsonObject) raw;
      String id = wire.getString("id");
      Held already = held.get(id);
      if (already != null) {
        // Sent again by a dispatcher that lost track of it: handled once, answered to both.
        already.from.add(from);
        continue;
      }
      if (held.size() >= prefetch) {
        meters.overCredit().increment();
        report(from).getJsonArray("returned").add(id);
        continue;
      }
      Held event = new Held(id, wire, from, now);
      held.put(id, event);
      queued.addLast(event);
    }
    heldMost = Math.max(heldMost, held.size());
    if (message.replyAddress() != null) {
      // A dispatcher's first batch: it waits to hear that this address reaches us.
      message.reply(new JsonObject());
    }
    startQueued();
  }

  /** Starts queued events while slots are free; a handler that completes at once is looped, not recursed. */
  private void startQueued() {
    if (starting) {
      return;
    }
    if (!queued.isEmpty() && ProcessStalls.get().fenced()) {
      // Fresh from standing still: this node may have been dropped, its view of the data stale. Wait it out.
      if (fenceTimer < 0) {
        fenceTimer = vertx.setTimer(ProcessStalls.get().fencedForMs() + 1, id -> {
          fenceTimer = -1;
          startQueued();
        });
      }
      return;
    }
    starting = true;
    try {
      while (running < concurrency && !queued.isEmpty()) {
        Held event = queued.pollFirst();
        running++;
        run(event);
      }
    } finally {
      starting = false;
      updateGauges();
    }
  }

  private void run(Held event) {
    event.timer = vertx.setTimer(settings.handlerTimeout().toMillis(), id -> finish(event,
        Future.failedFuture("handler did not finish within " + settings.handlerTimeout())));
    Future<Void> outcome;
    try {
      Event handed = Event.fromJson(event.wire);
      outcome = Trace.within(context, handed.traceId(), () -> handler.handle(handed));
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> onContext(() -> finish(event, ar)));
  }

  private void finish(Held event, AsyncResult<Void> outcome) {
    if (event.finished) {
      // Its time ran out and it was counted as failed; a late answer changes nothing.
      return;
    }
    event.finished = true;
    vertx.cancelTimer(event.timer);
    running--;
    if (outcome.succeeded()) {
      meters.handled().increment();
      acknowledge(event, 0);
    } else {
      meters.handlerFailed().increment();
      Throwable cause = outcome.cause();
      String error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      LOG.log(Level.FINE, () -> "group " + group + " failed event " + event.id + ": " + error);
      held.remove(event.id);
      JsonObject failure = new JsonObject().put("id", event.id).put("error", error)
          .put("permanent", cause instanceof PermanentFailure);
      event.from.forEach(d -> report(d).getJsonArray("failed").add(failure));
    }
    startQueued();
  }

  /**
   * Deletes the entry, then frees the credit; a delete that fails is tried again, holding the credit.
   * Deletes complete on Hazelcast's threads; they are gathered for up to {@link #ACK_GATHER_MS} and taken
   * back to this context together, so a busy member sends one report per batch, not one per event.
   */
  private void acknowledge(Held event, int tries) {
    store.pendingMap().removeAsync(PendingEntry.key(group, event.id)).whenCompleteAsync((removed, failure) -> {
      deleted.add(new Deleted(event, tries, failure));
      if (deletedScheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> vertx.setTimer(ACK_GATHER_MS, id -> takeDeleted()));
      }
    }, HazelcastCalls.WHERE_COMPLETED);
  }

  private record Deleted(Held event, int tries, Throwable failure) {
  }

  private void takeDeleted() {
    deletedScheduled.set(false);
    Deleted done;
    while ((done = deleted.poll()) != null) {
      Held event = done.event();
      if (done.failure() == null) {
        held.remove(event.id);
        event.from.forEach(d -> report(d).getJsonArray("acked").add(event.id));
      } else {
        int tries = done.tries() + 1;
        Throwable failure = done.failure();
        LOG.warning(() -> "could not acknowledge " + group + ":" + event.id + " (try " + tries + "): " + failure);
        vertx.setTimer(REMOVE_RETRY_MS, id -> acknowledge(event, tries));
      }
    }
    startQueued();
  }

  /**
   * Tells each dispatcher which of its events are still here, so their leases do not run out. The intervals
   * are this JVM's own (the dispatcher times the lease on its clock from the renewal's arrival).
   */
  private void renew(long renewEvery) {
    long now = System.currentTimeMillis();
    for (Held event : held.values()) {
      if (now - event.heardOf >= renewEvery) {
        event.heardOf = now;
        event.from.forEach(d -> report(d).getJsonArray("holding").add(event.id));
      }
    }
  }

  /** The report to {@code dispatcher} being gathered in this turn of the event loop; sent at its end. */
  private JsonObject report(String dispatcher) {
    JsonObject report = reports.get(dispatcher);
    if (report == null) {
      if (reports.isEmpty()) {
        context.runOnContext(v -> flush());
      }
      report = new JsonObject().put("group", group).put("acked", new JsonArray()).put("failed", new JsonArray())
          .put("returned", new JsonArray()).put("holding", new JsonArray());
      reports.put(dispatcher, report);
    }
    return report;
  }

  private void flush() {
    reports.forEach((dispatcher, report) ->
        vertx.eventBus().send(MessagingContract.reportAddress(dispatcher), report));
    reports.clear();
    updateGauges();
  }

  private void updateGauges() {
    heldNow = held.size();
    runningNow = running;
    queuedNow = queued.size();
  }

  private void onContext(Runnable action) {
    // A handler's outcome arrives on its trace scope, a duplicate of this context: the same thread, no hop needed.
    if (Trace.runsOn(context)) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
