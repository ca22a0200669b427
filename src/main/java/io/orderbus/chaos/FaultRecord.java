package io.orderbus.chaos;

import java.time.Duration;

/**
 * One fault as it happened, times from the start of the run.
 *
 * @param target      the node's name, or {@code smtp}
 * @param hold        how long the node stayed dead or paused, or the SMTP server down, as planned
 * @param start       when it began (SIGKILL, SIGSTOP, SMTP stopped)
 * @param end         when it was undone (the node started again and ready, SIGCONT, SMTP listening), or null
 * @param recoveredAt when every node was a member again (node faults), or null if that did not happen
 * @param note        what went wrong while doing or undoing it, or null
 */
record FaultRecord(FaultPlan.Kind kind, String target, Duration hold, Duration start, Duration end, Duration recoveredAt,
                   String note) {
  boolean recovered() {
    return end != null && (kind == FaultPlan.Kind.SMTP || recoveredAt != null);
  }
}
