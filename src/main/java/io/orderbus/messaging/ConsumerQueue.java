package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A member's intake for one group. A message carries a batch of events ({@code {"events": [...]}}); at
 * most {@code concurrency} events are handled at once, the rest wait here in arrival order, so a spike
 * is drained at a steady pace. The reply, once every event of the batch is done, lists the failed ones:
 * {@code {"failed": {eventId: error}}}; the others are acknowledged.
 */
final class ConsumerQueue {
  private static final Logger LOG = Logger.getLogger(ConsumerQueue.class.getName());

  private final String group;
  private final EventHandler handler;
  private final int concurrency;
  private final DeliveryMeters.Member meters;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int active;
  /** Non-zero while a thread runs the drain loop; counts the calls that asked it to look again. */
  private final AtomicInteger draining = new AtomicInteger();

  ConsumerQueue(String group, EventHandler handler, int concurrency, DeliveryMeters.Member meters) {
    this.group = group;
    this.meters = meters;
    this.handler = handler;
    this.concurrency = concurrency;
  }

  void accept(Message<JsonObject> message) {
    JsonArray events = message.body().getJsonArray("events", new JsonArray());
    JsonObject failed = new JsonObject();
    AtomicInteger remaining = new AtomicInteger(events.size());
    if (events.isEmpty()) {
      message.reply(new JsonObject().put("failed", failed));
      return;
    }
    for (Object raw : events) {
      JsonObject json = (JsonObject) raw;
      submit(() -> handle(json).onComplete(ar -> {
        (ar.failed() ? meters.handlerFailed() : meters.handled()).increment();
        if (ar.failed()) {
          String error = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
          LOG.log(Level.FINE, () -> "group " + group + " failed event " + json.getString("id") + ": " + error);
          synchronized (failed) {
            failed.put(json.getString("id"), error);
          }
        }
        if (remaining.decrementAndGet() == 0) {
          message.reply(new JsonObject().put("failed", failed));
        }
        finished();
      }));
    }
  }

  private Future<Void> handle(JsonObject json) {
    try {
      return handler.handle(Event.fromJson(json));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void submit(Runnable task) {
    synchronized (this) {
      waiting.add(task);
    }
    drain();
  }

  synchronized int active() {
    return active;
  }

  synchronized int queued() {
    return waiting.size();
  }

  private void finished() {
    synchronized (this) {
      active--;
    }
    drain();
  }

  /**
   * Starts waiting events while there are free slots. One thread at a time runs the loop; a call that
   * arrives meanwhile (say, from a handler that completed at once) only makes it look again, so a long
   * queue of instant handlers is worked off in a loop rather than in ever deeper recursion.
   */
  private void drain() {
    if (draining.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (true) {
        Runnable next;
        synchronized (this) {
          if (active >= concurrency || waiting.isEmpty()) {
            break;
          }
          active++;
          next = waiting.poll();
        }
        next.run();
      }
      missed = draining.addAndGet(-missed);
    } while (missed != 0);
  }

}
