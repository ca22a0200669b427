package io.orderbus.messaging;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/** What an operator (the gateway's admin API, {@code /cluster}, {@code /metrics}) may ask of delivery. */
public interface DeliveryAdmin {

  /** Per group, cluster-wide: topics, pending, dead letters, oldest pending age. */
  Future<Map<String, GroupStats>> groupStats();

  /** Per group: events this node handed to members and has not yet heard back about. */
  Map<String, Integer> inFlight();

  /** Pending entries per owning cluster member, by Vert.x node id. */
  Future<Map<String, Long>> pendingByOwner();

  /** Pending events, oldest first, at most {@code limit}: what a backlog that does not drain is made of. */
  Future<List<PendingEvent>> pending(int limit);

  /** Dead letters, newest first, at most {@code limit}. */
  Future<List<DeadLetter>> deadLetters(int limit);

  /**
   * Puts a dead letter back to pending with its attempts reset, then removes it from the dead letters;
   * fails with {@link MessagingContract#DEAD_LETTER_NOT_FOUND} if there is none by that id.
   */
  Future<DeadLetter> replay(String id);
}
