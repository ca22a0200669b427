package io.orderbus.messaging;

import io.orderbus.support.OlderForm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A pending entry keeps its trace id in the cluster, and one stored before entries had one still reads. */
class PendingEntryFormTest {

  @Test
  void theTraceIdIsStoredWithTheEntry() {
    PendingEntry entry = entry();
    entry.traceId = "req-1";
    PendingEntry read = OlderForm.roundTrip(entry);
    assertThat(read).usingRecursiveComparison().isEqualTo(entry);
    assertThat(read.toWire(1).getString("traceId")).isEqualTo("req-1");
    assertThat(Event.fromJson(read.toWire(1)).traceId()).isEqualTo("req-1");
  }

  @Test
  void anEntryStoredBeforeTraceIdsReadsWithNone() {
    PendingEntry read = OlderForm.withoutLastString(entry());
    assertThat(read).usingRecursiveComparison().isEqualTo(entry());
    assertThat(read.traceId).isNull();
    assertThat(read.toWire(2).containsKey("traceId")).isFalse();
    assertThat(Event.fromJson(read.toWire(2)).traceId()).isNull();
  }

  private static PendingEntry entry() {
    PendingEntry entry = new PendingEntry("email", "OrderCreated", "e-1", "{\"orderId\":\"o-1\"}", 10L, "n1", 20L, "holder");
    entry.attempts = 2;
    entry.lastError = "smtp down";
    entry.firstFailureAt = 15L;
    return entry;
  }
}
