package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A member's intake for one group: at most {@code concurrency} events are handled at once, the rest
 * wait here in arrival order, so a spike is drained at a steady pace instead of all at once.
 */
final class ConsumerQueue {
  private static final Logger LOG = Logger.getLogger(ConsumerQueue.class.getName());

  private final String group;
  private final EventHandler handler;
  private final int concurrency;
  private final Queue<Message<JsonObject>> waiting = new ArrayDeque<>();
  private int active;

  ConsumerQueue(String group, EventHandler handler, int concurrency) {
    this.group = group;
    this.handler = handler;
    this.concurrency = concurrency;
  }

  void accept(Message<JsonObject> message) {
    synchronized (this) {
      if (active >= concurrency) {
        waiting.add(message);
        return;
      }
      active++;
    }
    handle(message);
  }

  private void handle(Message<JsonObject> message) {
    Event event;
    Future<Void> outcome;
    try {
      event = Event.fromJson(message.body());
      outcome = handler.handle(event);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply("ack");
      } else {
        String error = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
        LOG.log(Level.FINE, () -> "group " + group + " failed an event: " + error);
        message.fail(MessagingContract.HANDLER_FAILED, error);
      }
      Message<JsonObject> next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          active--;
        }
      }
      if (next != null) {
        handle(next);
      }
    });
  }
}
