package io.orderbus.chaos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request of the workload and what became of it: every attempt under its one {@code Idempotency-Key},
 * and its definite answer. Changed only on the workload's event loop; read once the workload is over.
 */
final class ClientRequest {
  enum Kind { ASYNC, SYNC, SIGNUP }

  final int seq;
  final Kind kind;
  final String key;
  /** The customer's (or new user's) address: unique per request, so that its mail tells its story. */
  final String recipient;
  /** SKU to quantity; empty for a sign-up. */
  final Map<String, Integer> items;
  final long firstSentMs;
  int attempts;
  /** Answers that were retried, by label ({@code 503 SERVICE_UNAVAILABLE}, {@code no answer: ...}). */
  final Map<String, Integer> retried = new TreeMap<>();
  Answer answer;
  long answeredMs = -1;

  ClientRequest(int seq, Kind kind, String key, String recipient, Map<String, Integer> items, long firstSentMs) {
    this.seq = seq;
    this.kind = kind;
    this.key = key;
    this.recipient = recipient;
    this.items = new LinkedHashMap<>(items);
    this.firstSentMs = firstSentMs;
  }

  boolean answered() {
    return answer != null && answer.definite();
  }

  /** The request as the history keeps it; without a definite answer its outcome is {@link Answer.Outcome#NONE}. */
  History.Request toHistory() {
    Answer.Outcome outcome = answered() ? answer.outcome() : Answer.Outcome.NONE;
    String told = answer == null ? "no answer" : answer.label();
    return new History.Request(key, kind, recipient, Map.copyOf(items), outcome, answered() ? answer.orderId() : null,
        told, attempts, Map.copyOf(retried));
  }
}
