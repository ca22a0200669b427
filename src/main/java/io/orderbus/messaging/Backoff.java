package io.orderbus.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time between half and all of
 * {@code min(max, base·2^(n-1))}, so retries of many events spread out but never come back at once.
 */
public record Backoff(Duration base, Duration max) {

  public long delayMillis(int attempt) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20));
    long floor = ceiling / 2;
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }
}
