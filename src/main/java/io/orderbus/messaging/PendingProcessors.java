package io.orderbus.messaging;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Changes to a pending entry made where the entry lives, atomically: a member that timed out must not
 * bring back an entry another member has meanwhile acknowledged, and two members must not lease the
 * same entry at once.
 */
final class PendingProcessors {

  private PendingProcessors() {
  }

  /** Leases a due entry until {@code until}; returns a copy of it, or null if it is gone or not due. */
  static final class Lease implements EntryProcessor<String, PendingEntry, PendingEntry> {
    private static final long serialVersionUID = 1L;
    private final long now;
    private final long until;

    Lease(long now, long until) {
      this.now = now;
      this.until = until;
    }

    @Override
    public PendingEntry process(Map.Entry<String, PendingEntry> entry) {
      PendingEntry value = entry.getValue();
      if (value == null || value.nextAttemptAt > now) {
        return null;
      }
      value.nextAttemptAt = until;
      entry.setValue(value);
      return value.copy();
    }
  }

  /** Records a failed attempt and when to try next, if the entry still exists. */
  static final class Reschedule implements EntryProcessor<String, PendingEntry, Boolean> {
    private static final long serialVersionUID = 1L;
    private final long nextAttemptAt;
    private final boolean countAttempt;
    private final String error;

    Reschedule(long nextAttemptAt, boolean countAttempt, String error) {
      this.nextAttemptAt = nextAttemptAt;
      this.countAttempt = countAttempt;
      this.error = error;
    }

    @Override
    public Boolean process(Map.Entry<String, PendingEntry> entry) {
      PendingEntry value = entry.getValue();
      if (value == null) {
        return false;
      }
      if (countAttempt) {
        value.attempts++;
      }
      value.lastError = error;
      value.nextAttemptAt = nextAttemptAt;
      entry.setValue(value);
      return true;
    }
  }
}
