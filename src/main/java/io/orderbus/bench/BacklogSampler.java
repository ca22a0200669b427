package io.orderbus.bench;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's backlog (pending events over all groups, from {@code GET /cluster}) sampled every second
 * from {@link #start} until {@link #stop}, for a chart of a spike or an outage: how high it rose and how fast it
 * drained. One request at a time: a sample that is still out when the next is due is not doubled up.
 */
final class BacklogSampler {
  // Each sample lists every pending key (see OrderWatch): once a second keeps its cost off the drain it measures.
  private static final long EVERY_MS = 1000;

  /** Seconds since {@link #start}, and the backlog then. */
  record Sample(double seconds, long backlog) {
  }

  private final Vertx vertx;
  private final WebClient operator;
  private final List<Sample> samples = new ArrayList<>();
  private long startedAt;
  private long timer = -1;
  private boolean asking;

  /** {@code operator} must send the admin token ({@code GET /cluster} is an operator route). */
  BacklogSampler(Vertx vertx, WebClient operator) {
    this.vertx = vertx;
    this.operator = operator;
  }

  BacklogSampler start() {
    startedAt = System.nanoTime();
    timer = vertx.setPeriodic(0, EVERY_MS, id -> sample());
    return this;
  }

  /** Stops sampling; the samples so far, oldest first. */
  synchronized List<Sample> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return List.copyOf(samples);
  }

  /** Seconds since {@link #start} at {@code nanoTime}, on the samples' clock. */
  double secondsAt(long nanoTime) {
    return (nanoTime - startedAt) / 1e9;
  }

  private void sample() {
    if (asking) {
      return;
    }
    asking = true;
    long at = System.nanoTime();
    operator.get("/cluster").send().onComplete(ar -> {
      asking = false;
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        synchronized (this) {
          if (timer >= 0) {
            samples.add(new Sample((at - startedAt) / 1e9, OrderWatch.backlog(ar.result().bodyAsJsonObject())));
          }
        }
      }
    });
  }
}
