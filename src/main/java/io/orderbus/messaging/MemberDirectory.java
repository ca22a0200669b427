package io.orderbus.messaging;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Which nodes are members of which group, with what credit, as every node sees it: a cluster map that
 * each member writes once its intake is registered, mirrored locally by a listener, filtered by
 * Hazelcast's own view of who is alive. Nodes are named by their Vert.x node id (see {@link #idOf}).
 *
 * <p>The mirror is rebuilt from the map, and this node's own memberships written again, after a split
 * brain's merge and every {@link #RESYNC_MS} as a safety net: when a member merges back, the entries it
 * gets from the others arrive by migration, which fires no listener, and the others may have deleted its
 * memberships when they dropped it. Without this, a merged node saw no member of a group and kept that
 * group's events to itself, undelivered.
 */
public final class MemberDirectory {
  private static final Logger LOG = Logger.getLogger(MemberDirectory.class.getName());
  static final long RESYNC_MS = 15_000;
  /** After a merge, data keeps arriving for a while: look again after these delays. */
  private static final long[] AFTER_MERGE_MS = {0, 2_000, 8_000};

  /** A member of a group: the node, and how many events it may hold at once. */
  record GroupMember(String node, int prefetch) {
  }

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, Integer> members;
  private final String self;
  private final Map<String, Map<String, Integer>> byGroup = new ConcurrentHashMap<>();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  /** This node's own memberships, to write again when the map lost them. */
  private final Map<String, Integer> joined = new ConcurrentHashMap<>();
  private volatile Consumer<String> onGroupChanged = group -> { };
  private volatile Consumer<String> onNodeLost = node -> { };

  MemberDirectory(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.members = hazelcast.getMap(MessagingContract.MEMBERS_MAP);
    this.self = idOf(hazelcast.getCluster().getLocalMember());
  }

  /**
   * A member's name here: the node id Vert.x keeps as a member attribute, which stays the same when a member
   * that was split off merges back (Hazelcast gives it a new UUID then, and a node named by its old UUID
   * would answer for entries nobody could tell were its own). The UUID for a member without Vert.x.
   */
  public static String idOf(com.hazelcast.cluster.Member member) {
    String vertxId = member.getAttribute(DurableAdmin.VERTX_NODE_ID_ATTRIBUTE);
    return vertxId != null ? vertxId : member.getUuid().toString();
  }

  /** This node's name in the directory and on the wire. */
  String self() {
    return self;
  }

  /** Called (on a Hazelcast thread) when a group may have gained a member. */
  void onGroupChanged(Consumer<String> listener) {
    this.onGroupChanged = listener;
  }

  /** Called (on a Hazelcast thread) with the UUID of a node that left the cluster. */
  void onNodeLost(Consumer<String> listener) {
    this.onNodeLost = listener;
  }

  /** Listens first, then reads, so that nothing written meanwhile is missed. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      hazelcast.getCluster().addMembershipListener(new Membership());
      hazelcast.getCluster().getMembers().forEach(m -> live.add(idOf(m)));
      members.addEntryListener(new Entries(), true);
      members.forEach(this::remember);
      hazelcast.getLifecycleService().addLifecycleListener(event -> {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          LOG.warning("merged back into the cluster after a split: re-reading the group members");
          for (long delay : AFTER_MERGE_MS) {
            vertx.setTimer(Math.max(1, delay), id -> resync());
          }
        }
      });
      vertx.setPeriodic(RESYNC_MS, id -> resync());
      return null;
    }, false);
  }

  /**
   * Brings the mirror in line with the cluster: who is alive, and every membership in the map; this node's
   * own memberships are written again if they are missing. Refused while this node is on the minority side of a split, to be tried again.
   */
  void resync() {
    vertx.executeBlocking(() -> {
      // Only ever adds: a view caught mid-merge may lack members that are there, and removing them would
      // delete their memberships; departures come with memberRemoved.
      hazelcast.getCluster().getMembers().forEach(m -> live.add(idOf(m)));
      joined.forEach((group, prefetch) -> members.putIfAbsent(key(group, self), prefetch));
      members.forEach(this::remember);
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.fine(() -> "member directory resync failed, trying again later: " + ar.cause());
      }
    });
  }

  /** Makes this node a member of {@code group} for every node; call once its intake is registered. */
  Future<Void> join(String group, int prefetch) {
    joined.put(group, prefetch);
    remember(key(group, self), prefetch);
    return vertx.executeBlocking(() -> {
      members.set(key(group, self), prefetch);
      return null;
    }, false);
  }

  /** The live members of {@code group}, in a stable order. */
  List<GroupMember> members(String group) {
    List<GroupMember> out = new ArrayList<>();
    byGroup.getOrDefault(group, Map.of()).forEach((node, prefetch) -> {
      if (live.contains(node)) {
        out.add(new GroupMember(node, prefetch));
      }
    });
    out.sort((a, b) -> a.node().compareTo(b.node()));
    return out;
  }

  /** UUIDs of the cluster's members now. */
  Set<String> liveNodes() {
    return Set.copyOf(live);
  }

  /** How many nodes may be sending to one member at once: every node dispatches what it holds. */
  int dispatchers() {
    return Math.max(1, live.size());
  }

  private void remember(String key, Integer prefetch) {
    int bar = key.lastIndexOf('|');
    String group = key.substring(0, bar);
    byGroup.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(key.substring(bar + 1), prefetch);
    onGroupChanged.accept(group);
  }

  private void forget(String key) {
    int bar = key.lastIndexOf('|');
    Map<String, Integer> nodes = byGroup.get(key.substring(0, bar));
    if (nodes != null) {
      nodes.remove(key.substring(bar + 1));
    }
  }

  private static String key(String group, String node) {
    return group + "|" + node;
  }

  private final class Entries implements EntryAddedListener<String, Integer>, EntryUpdatedListener<String, Integer>,
      EntryRemovedListener<String, Integer>, EntryMergedListener<String, Integer> {
    @Override
    public void entryAdded(EntryEvent<String, Integer> event) {
      remember(event.getKey(), event.getValue());
    }

    @Override
    public void entryMerged(EntryEvent<String, Integer> event) {
      if (event.getValue() != null) {
        remember(event.getKey(), event.getValue());
      }
    }

    @Override
    public void entryUpdated(EntryEvent<String, Integer> event) {
      remember(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Integer> event) {
      forget(event.getKey());
    }
  }

  private final class Membership implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      live.add(idOf(event.getMember()));
      byGroup.keySet().forEach(onGroupChanged);
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      lost(idOf(event.getMember()));
    }
  }

  private void lost(String node) {
    if (!live.remove(node)) {
      return;
    }
    byGroup.values().forEach(nodes -> nodes.remove(node));
    onNodeLost.accept(node);
    // Whoever gets there first tidies the map; the others find nothing to remove. A node that merges back
    // writes its memberships again (resync).
    vertx.executeBlocking(() -> {
      members.keySet().stream().filter(k -> k.endsWith("|" + node)).forEach(members::delete);
      return null;
    }, false);
  }
}
