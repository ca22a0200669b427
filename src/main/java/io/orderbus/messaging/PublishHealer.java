package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Finishes, in the background, a publish that failed after its record was stored. A publish writes one
 * pending entry per group, and those writes are not atomic across partitions: a failure can leave some
 * groups with the event and others without, while the record (an order, a user) stands. Publishing again
 * is harmless (an entry still pending is not doubled; a handled event is handled idempotently), so this
 * publishes again with a growing pause until one publish succeeds or the record no longer needs it.
 *
 * <p>Kept in this node's memory: if the node dies too, the client's retry with the same key heals instead.
 * At most {@link #MAX_HEALING} at once, so an outage of the store cannot fill the heap.
 */
public final class PublishHealer {
  private static final Logger LOG = Logger.getLogger(PublishHealer.class.getName());
  static final int MAX_HEALING = 10_000;
  private static final long FIRST_PAUSE_MS = 1_000;
  private static final long MAX_PAUSE_MS = 30_000;

  private final Vertx vertx;
  private final Set<String> healing = ConcurrentHashMap.newKeySet();

  public PublishHealer(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Publishes again until it succeeds, as long as {@code stillNeeded} answers true (the record exists and is
   * not settled). Returns false if {@code id} could not be taken on (too many already): then only a retry heals.
   */
  public boolean heal(String id, Supplier<Future<Boolean>> stillNeeded, Supplier<Future<?>> publish) {
    if (healing.size() >= MAX_HEALING || !healing.add(id)) {
      return healing.contains(id);
    }
    LOG.warning(() -> "publishing the events of " + id + " failed half-way: publishing them again in the background");
    attempt(id, stillNeeded, publish, FIRST_PAUSE_MS);
    return true;
  }

  /** How many records are being healed now. */
  public int healing() {
    return healing.size();
  }

  private void attempt(String id, Supplier<Future<Boolean>> stillNeeded, Supplier<Future<?>> publish, long pause) {
    vertx.setTimer(pause, t -> stillNeeded.get()
        .compose(needed -> needed ? publish.get().map(true) : Future.succeededFuture(false))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            healing.remove(id);
            if (ar.result()) {
              LOG.info(() -> "the events of " + id + " are published now");
            }
          } else {
            attempt(id, stillNeeded, publish, Math.min(MAX_PAUSE_MS, pause * 2));
          }
        }));
  }
}
