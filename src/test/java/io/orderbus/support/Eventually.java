package io.orderbus.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling it, with a deadline: for effects of async messaging. */
public final class Eventually {
  private Eventually() {
  }

  /** Polls {@code probe} until it returns non-null; fails with {@code what} after {@code timeout}. */
  public static <T> T await(Duration timeout, String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
  }

  public static void until(Duration timeout, String what, Supplier<Boolean> condition) {
    await(timeout, what, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
  }
}
