package io.orderbus.messaging;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;
import java.util.Set;

/**
 * Changes to a pending entry made where the entry lives, atomically: a failure recorded late must not
 * bring back an entry a member has meanwhile acknowledged, and two nodes must not adopt the same entry.
 */
final class PendingProcessors {

  private PendingProcessors() {
  }

  /** Records a failed attempt and when to try next, if the entry still exists. */
  static final class RecordFailure implements EntryProcessor<String, PendingEntry, Boolean> {
    private static final long serialVersionUID = 2L;
    private final int attempts;
    private final String error;
    private final long firstFailureAt;
    private final long nextAttemptAt;

    RecordFailure(PendingEntry entry) {
      this.attempts = entry.attempts;
      this.error = entry.lastError;
      this.firstFailureAt = entry.firstFailureAt;
      this.nextAttemptAt = entry.nextAttemptAt;
    }

    @Override
    public Boolean process(Map.Entry<String, PendingEntry> entry) {
      PendingEntry value = entry.getValue();
      if (value == null) {
        return false;
      }
      value.attempts = attempts;
      value.lastError = error;
      value.firstFailureAt = firstFailureAt;
      value.nextAttemptAt = nextAttemptAt;
      entry.setValue(value);
      return true;
    }
  }

  /**
   * Makes {@code adopter} the entry's holder if its holder is no longer a cluster member; returns a copy of
   * the adopted entry, or null if it is gone or its holder is alive (another node adopted it first).
   */
  static final class Adopt implements EntryProcessor<String, PendingEntry, PendingEntry> {
    private static final long serialVersionUID = 2L;
    private final Set<String> live;
    private final String adopter;

    Adopt(Set<String> live, String adopter) {
      this.live = Set.copyOf(live);
      this.adopter = adopter;
    }

    @Override
    public PendingEntry process(Map.Entry<String, PendingEntry> entry) {
      PendingEntry value = entry.getValue();
      if (value == null || live.contains(value.holder)) {
        return null;
      }
      value.holder = adopter;
      entry.setValue(value);
      return value.copy();
    }
  }

  /** Stores the entry unless one is there already; true if this call stored it. */
  static final class PutIfAbsent implements EntryProcessor<String, PendingEntry, Boolean> {
    private static final long serialVersionUID = 2L;
    private final PendingEntry value;

    PutIfAbsent(PendingEntry value) {
      this.value = value;
    }

    @Override
    public Boolean process(Map.Entry<String, PendingEntry> entry) {
      if (entry.getValue() != null) {
        return false;
      }
      entry.setValue(value);
      return true;
    }
  }
}
