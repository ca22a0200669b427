package io.orderbus.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Exponential backoff with equal jitter: attempt n waits between half and all of min(max, base·2^(n-1)). */
class BackoffTest {
  private static final int DRAWS = 5_000;

  private static LongSummaryStatistics draws(Backoff backoff, int attempt) {
    return LongStream.range(0, DRAWS).map(i -> backoff.delayMillis(attempt)).summaryStatistics();
  }

  @Test
  void everyDelayStaysBetweenHalfTheCeilingAndTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    for (int attempt = 1; attempt <= 12; attempt++) {
      long ceiling = Math.min(30_000, 100L << (attempt - 1));
      LongSummaryStatistics stats = draws(backoff, attempt);
      assertThat(stats.getMin()).as("attempt %d min", attempt).isGreaterThanOrEqualTo(ceiling / 2);
      assertThat(stats.getMax()).as("attempt %d max", attempt).isLessThanOrEqualTo(ceiling);
    }
  }

  @Test
  void delaysGrowExponentially() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofHours(1));
    // Ceilings 100, 200, 400, 800, 1600: the whole range of attempt n+1 lies at or above the range of attempt n.
    for (int attempt = 1; attempt <= 5; attempt++) {
      LongSummaryStatistics now = draws(backoff, attempt);
      LongSummaryStatistics next = draws(backoff, attempt + 1);
      assertThat(next.getMin()).as("attempt %d vs %d", attempt + 1, attempt).isGreaterThanOrEqualTo(now.getMax());
      assertThat(next.getAverage()).isBetween(now.getAverage() * 1.8, now.getAverage() * 2.2);
    }
    assertThat(draws(backoff, 1).getMax()).isLessThanOrEqualTo(100);
    assertThat(draws(backoff, 4).getMin()).isGreaterThanOrEqualTo(400);
    assertThat(draws(backoff, 4).getMax()).isLessThanOrEqualTo(800);
  }

  @Test
  void delaysAreCappedByMax() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    for (int attempt : new int[] {5, 6, 10, 30, 1_000, Integer.MAX_VALUE}) {
      LongSummaryStatistics stats = draws(backoff, attempt);
      assertThat(stats.getMax()).as("attempt %d", attempt).isLessThanOrEqualTo(1_000);
      assertThat(stats.getMin()).as("attempt %d", attempt).isGreaterThanOrEqualTo(500);
    }
  }

  @Test
  void aMaxBelowTheBaseCapsEvenTheFirstAttempt() {
    LongSummaryStatistics stats = draws(new Backoff(Duration.ofSeconds(10), Duration.ofMillis(200)), 1);
    assertThat(stats.getMax()).isLessThanOrEqualTo(200);
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void attemptsBelowOneCountAsTheFirst() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    for (int attempt : new int[] {0, -1, -100}) {
      LongSummaryStatistics stats = draws(backoff, attempt);
      assertThat(stats.getMin()).as("attempt %d", attempt).isGreaterThanOrEqualTo(50);
      assertThat(stats.getMax()).as("attempt %d", attempt).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void delaysAreJitteredAcrossTheWholeRange() {
    Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30));
    Set<Long> distinct = new HashSet<>();
    LongSummaryStatistics stats = new LongSummaryStatistics();
    for (int i = 0; i < DRAWS; i++) {
      long delay = backoff.delayMillis(1);
      distinct.add(delay);
      stats.accept(delay);
    }
    // Uniform on [500, 1000]: hundreds of distinct values, both ends reached, a mean near 750.
    assertThat(distinct).hasSizeGreaterThan(300);
    assertThat(stats.getMin()).isLessThan(550);
    assertThat(stats.getMax()).isGreaterThan(950);
    assertThat(stats.getAverage()).isBetween(725.0, 775.0);
  }

  @Test
  void aZeroBaseMeansNoWait() {
    assertThat(draws(new Backoff(Duration.ZERO, Duration.ofSeconds(1)), 3).getMax()).isZero();
  }
}
