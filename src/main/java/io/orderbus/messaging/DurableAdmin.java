package io.orderbus.messaging;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
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
  public Future<List<PendingEvent>> pending(int limit) {
    return vertx.executeBlocking(() -> {
      // Sorted and cut where the entries live: a backlog of 100k is not shipped here to show 100.
      var oldestFirst = Predicates.<String, PendingEntry>pagingPredicate(new OldestFirst(), limit);
      return store.pendingMap().values(oldestFirst).stream().map(PendingEvent::of).toList();
    }, false);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit) {
    return vertx.executeBlocking(() -> {
      List<PendingEntry> all = new ArrayList<>(store.deadLetterMap().values());
      all.sort(Comparator.comparingLong((PendingEntry e) -> e.deadAt).reversed());
      return all.subList(0, Math.min(limit, all.size())).stream().map(DeadLetter::of).toList();
    }, false);
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

  /** Runs on the members holding the entries: a class of this jar, serializable. */
  static final class OldestFirst implements Comparator<Map.Entry<String, PendingEntry>>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Map.Entry<String, PendingEntry> a, Map.Entry<String, PendingEntry> b) {
      int byAge = Long.compare(a.getValue().publishedAt, b.getValue().publishedAt);
      return byAge != 0 ? byAge : a.getKey().compareTo(b.getKey());
    }
  }
}
