package io.orderbus.messaging;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects items from any thread and hands them on in batches: when {@code maxSize} are waiting, or
 * {@code maxDelayMs} after the first of a batch arrived. Throughput comes from the batch, latency is
 * bounded by the delay.
 */
final class Batcher<T> {
  private final Vertx vertx;
  private final int maxSize;
  private final long maxDelayMs;
  private final Consumer<List<T>> flush;
  private List<T> items = new ArrayList<>();
  private boolean timerSet;

  Batcher(Vertx vertx, int maxSize, long maxDelayMs, Consumer<List<T>> flush) {
    this.vertx = vertx;
    this.maxSize = maxSize;
    this.maxDelayMs = maxDelayMs;
    this.flush = flush;
  }

  void add(T item) {
    List<T> ready = null;
    boolean schedule = false;
    synchronized (this) {
      items.add(item);
      if (items.size() >= maxSize) {
        ready = items;
        items = new ArrayList<>();
      } else if (!timerSet) {
        timerSet = true;
        schedule = true;
      }
    }
    if (ready != null) {
      flush.accept(ready);
    } else if (schedule) {
      vertx.setTimer(maxDelayMs, id -> flushNow());
    }
  }

  private void flushNow() {
    List<T> ready;
    synchronized (this) {
      timerSet = false;
      if (items.isEmpty()) {
        return;
      }
      ready = items;
      items = new ArrayList<>();
    }
    flush.accept(ready);
  }
}
