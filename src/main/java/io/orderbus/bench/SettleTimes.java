package io.orderbus.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * How long accepted orders took to settle, and how many settled within a window, from one read of each
 * order after the run instead of polling every order while it runs (which would cost the cluster a request
 * per order per poll, and so distort its CPU figure).
 *
 * <p>An order's settle time runs from the moment its {@code 202} reached the benchmark to the later of its
 * final status (CONFIRMED or REJECTED) and its EmailSent, both read from its timeline. The timeline's times
 * are the nodes' {@link System#currentTimeMillis()}: one clock when all run on this machine, to the
 * millisecond. A step that happened before the {@code 202} arrived counts as 0.
 */
record SettleTimes(Histogram millis, int settledInWindow, int unsettled, double windowSeconds) {
  private static final long MAX_MILLIS = 3_600_000L;

  /**
   * The settle times of {@code load}'s accepted orders as {@code watch} read them; orders count for the
   * window if they settled in {@code [windowStartMillis, windowEndMillis)}.
   */
  static SettleTimes of(OpenLoad.Result load, OrderWatch.Result watch, long windowStartMillis, long windowEndMillis) {
    Histogram millis = new Histogram(MAX_MILLIS, 3);
    int inWindow = 0;
    for (String id : load.accepted()) {
      JsonObject order = watch.orders().get(id);
      if (!OrderWatch.settled(order)) {
        continue;
      }
      long settledAt = OrderWatch.settledAt(order);
      millis.recordValue(Math.min(MAX_MILLIS, Math.max(0, settledAt - load.acceptedAtMillis().get(id))));
      if (settledAt >= windowStartMillis && settledAt < windowEndMillis) {
        inWindow++;
      }
    }
    int unsettled = load.accepted().size() - (int) millis.getTotalCount();
    return new SettleTimes(millis, inWindow, unsettled, (windowEndMillis - windowStartMillis) / 1e3);
  }

  /** Settle time percentile in ms; NaN if nothing settled. */
  double ms(double percentile) {
    return millis.getTotalCount() == 0 ? Double.NaN : millis.getValueAtPercentile(percentile);
  }

  /** Orders settled in the window, per second of it. */
  double perSecond() {
    return windowSeconds <= 0 ? Double.NaN : settledInWindow / windowSeconds;
  }
}
