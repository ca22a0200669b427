package io.orderbus.chaos;

import java.time.Duration;

/** Time since the run started, and waiting for a moment of it; a test's stand-in advances it without waiting. */
interface RunClock {
  Duration elapsed();

  /** Returns once {@link #elapsed()} has reached {@code at} (at once if it has already). */
  void sleepUntil(Duration at) throws InterruptedException;

  /** The real clock, from now. */
  static RunClock startingNow() {
    long start = System.nanoTime();
    return new RunClock() {
      @Override
      public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
      }

      @Override
      public void sleepUntil(Duration at) throws InterruptedException {
        long left = at.minus(elapsed()).toMillis();
        if (left > 0) {
          Thread.sleep(left);
        }
      }
    };
  }
}
