package io.orderbus.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: attempt n waits a random time in [base·2^(n-1)/2, base·2^(n-1)], capped. */
public record Backoff(Duration base, Duration max) {

  public long delayMillis(int attempt) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20));
    long floor = ceiling / 2;
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }
}
