package io.orderbus.messaging;

/**
 * Addresses, cluster maps and failure codes of the delivery layer. Services use {@link Delivery}; these
 * names matter to operators (the maps are visible in Hazelcast tooling) and to tests.
 */
public final class MessagingContract {

  /** Event-bus address of live (at-most-once, every consumer) fan-out: {@code messaging.live.<topic>}. */
  public static final String LIVE_ADDRESS_PREFIX = "messaging.live.";

  /** One entry per (group, event) not yet acknowledged, with one synchronous backup. */
  public static final String PENDING_MAP = "messaging.pending";
  /** Entries that failed {@code maxAttempts} times, with their last error. */
  public static final String DEAD_LETTER_MAP = "messaging.dead";
  /** {@code <group>|<node UUID>} -> the member's credit (prefetch); written once its intake listens. */
  public static final String MEMBERS_MAP = "messaging.members";
  /** Event-bus address of one member's intake for a group: {@code messaging.member.<group>.<node UUID>}. */
  public static final String MEMBER_ADDRESS_PREFIX = "messaging.member.";
  /** Event-bus address where a node hears what became of the events it handed out. */
  public static final String REPORT_ADDRESS_PREFIX = "messaging.report.";
  /** Live fan-out of each node's backlog counts, for every producer's bound. */
  public static final String BACKLOG_ADDRESS = "messaging.backlog";
  /** group name -> topics it consumes; a group is known from its declaration on. */
  public static final String GROUPS_MAP = "messaging.groups";

  /** The backlog of a group is at its bound: the producer must retry later. */
  public static final int BACKLOG_FULL = 9001;
  // 9002 was "handler failed", a batch reply's code; failures now travel in members' reports.
  /** No dead letter with that id. */
  public static final int DEAD_LETTER_NOT_FOUND = 9003;
  /**
   * This node is on the minority side of a split (paused, cut off): split-brain protection refuses its writes
   * until it merges back. Another node can serve the request now.
   */
  public static final int CLUSTER_MINORITY = 9004;

  private MessagingContract() {
  }

  public static String memberAddress(String group, String node) {
    return MEMBER_ADDRESS_PREFIX + group + "." + node;
  }

  public static String reportAddress(String node) {
    return REPORT_ADDRESS_PREFIX + node;
  }

  public static String liveAddress(String topic) {
    return LIVE_ADDRESS_PREFIX + topic;
  }
}
