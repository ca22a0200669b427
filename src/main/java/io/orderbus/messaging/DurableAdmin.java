package io.orderbus.messaging;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Durable delivery's answers to operators: counts and ages per group, dead letters, replay. */
final class DurableAdmin implements DeliveryAdmin {
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final ClusterClock clock;
  private final PendingStore store;
  private final GroupRegistry groups;
  private final Dispatcher dispatcher;
  private final BacklogGauge backlog;
  private final String self;

  DurableAdmin(Vertx vertx, HazelcastInstance hazelcast, ClusterClock clock, PendingStore store, GroupRegistry groups,
               Dispatcher dispatcher, BacklogGauge backlog, String self) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.clock = clock;
    this.store = store;
    this.groups = groups;
    this.dispatcher = dispatcher;
    this.backlog = backlog;
    this.self = self;
  }

  @Override
  public Future<Map<String, GroupStats>> groupStats() {
    return vertx.executeBlocking(() -> {
      Map<String, GroupStats> out = new TreeMap<>();
      // Ages of entries other nodes published: in the cluster's time, as they were stamped.
      long now = clock.now();
      for (String group : groups.groupNames()) {
        var inGroup = Predicates.<String, PendingEntry>equal("group", group);
        long count = store.pendingMap().aggregate(Aggregators.count(), inGroup);
        Long oldest = count == 0 ? null : store.pendingMap().aggregate(Aggregators.longMin("publishedAt"), inGroup);
        long dead = store.deadLetterMap().aggregate(Aggregators.count(), inGroup);
        out.put(group, new GroupStats(groups.topicsOf(group), count, dead,
            oldest == null ? 0 : Math.max(0, now - oldest)));
      }
      return out;
    }, false);
  }

  @Override
  public Map<String, Integer> inFlight() {
    return dispatcher.inFlight();
  }

  @Override
  public Future<Map<String, Long>> pendingByOwner() {
    return vertx.executeBlocking(() -> {
      Map<String, Long> out = new HashMap<>();
      for (String key : store.pendingMap().keySet()) {
        var owner = hazelcast.getPartitionService().getPartition(key).getOwner();
        if (owner != null) {
          // Vert.x names a node by the id it stores as a member attribute, not by the member's UUID.
          String nodeId = owner.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
          out.merge(nodeId != null ? nodeId : owner.getUuid().toString(), 1L, Long::sum);
        }
      }
      return out;
    }, false);
  }

  @Override
  public Future<List<PendingEvent>> pending(int limit, PageCursor after) {
    return vertx.executeBlocking(() -> {
      // Sorted and cut where the entries live: a backlog of 100k is not shipped here to show 100.
      var oldestFirst = Predicates.<String, PendingEntry>pagingPredicate(
          after == null ? Predicates.alwaysTrue() : later("publishedAt", after), Listing.OLDEST_FIRST, limit);
      return store.pendingMap().values(oldestFirst).stream().map(PendingEvent::of).toList();
    }, false);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit, PageCursor after) {
    return vertx.executeBlocking(() -> {
      var newestFirst = Predicates.<String, PendingEntry>pagingPredicate(
          after == null ? Predicates.alwaysTrue() : earlier("deadAt", after), Listing.NEWEST_DEAD_FIRST, limit);
      return store.deadLetterMap().values(newestFirst).stream().map(DeadLetter::of).toList();
    }, false);
  }

  /** Entries after {@code cursor} in ascending order of {@code time}, then key. */
  private static com.hazelcast.query.Predicate<String, PendingEntry> later(String time, PageCursor cursor) {
    return Predicates.or(Predicates.greaterThan(time, cursor.at()),
        Predicates.and(Predicates.equal(time, cursor.at()), Predicates.greaterThan("__key", cursor.key())));
  }

  /** Entries after {@code cursor} in descending order of {@code time}, then ascending key. */
  private static com.hazelcast.query.Predicate<String, PendingEntry> earlier(String time, PageCursor cursor) {
    return Predicates.or(Predicates.lessThan(time, cursor.at()),
        Predicates.and(Predicates.equal(time, cursor.at()), Predicates.greaterThan("__key", cursor.key())));
  }

  @Override
  public Future<DeadLetter> replay(String id) {
    return store.replay(id, self, vertx.getOrCreateContext()).map(replayed -> {
      if (replayed.fresh()) {
        backlog.reserve(replayed.entry().group);
        dispatcher.take(List.of(replayed.entry()));
      }
      return DeadLetter.of(replayed.entry());
    });
  }

  /**
   * The orders operators list entries in, by a time and then by key (which {@link #later} and {@link #earlier}
   * page by). Run on the members holding the entries: an enum of this jar, serialized by its name.
   */
  enum Listing implements Comparator<Map.Entry<String, PendingEntry>> {
    /** Pending events: the oldest published first. */
    OLDEST_FIRST(false),
    /** Dead letters: the last given up on first. */
    NEWEST_DEAD_FIRST(true);

    // A field rather than a body per constant: such a body is a class of its own, which an enum serializer
    // that writes the value's class could not read back.
    private final boolean byDeath;

    Listing(boolean byDeath) {
      this.byDeath = byDeath;
    }

    long rank(PendingEntry entry) {
      return byDeath ? -entry.deadAt : entry.publishedAt;
    }

    @Override
    public int compare(Map.Entry<String, PendingEntry> a, Map.Entry<String, PendingEntry> b) {
      int byTime = Long.compare(rank(a.getValue()), rank(b.getValue()));
      return byTime != 0 ? byTime : a.getKey().compareTo(b.getKey());
    }
  }
}
