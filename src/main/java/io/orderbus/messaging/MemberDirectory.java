package io.orderbus.messaging;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
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

/**
 * Which nodes are members of which group, with what credit, as every node sees it: a cluster map that
 * each member writes once its intake is registered, mirrored locally by a listener, filtered by
 * Hazelcast's own view of who is alive. Nodes are named by their Hazelcast member UUID.
 */
final class MemberDirectory {

  /** A member of a group: the node, and how many events it may hold at once. */
  record GroupMember(String node, int prefetch) {
  }

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, Integer> members;
  private final String self;
  private final Map<String, Map<String, Integer>> byGroup = new ConcurrentHashMap<>();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
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
  static String idOf(com.hazelcast.cluster.Member member) {
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
      return null;
    }, false);
  }

  /** Makes this node a member of {@code group} for every node; call once its intake is registered. */
  Future<Void> join(String group, int prefetch) {
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
      EntryRemovedListener<String, Integer> {
    @Override
    public void entryAdded(EntryEvent<String, Integer> event) {
      remember(event.getKey(), event.getValue());
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
      Member gone = event.getMember();
      String node = idOf(gone);
      live.remove(node);
      byGroup.values().forEach(nodes -> nodes.remove(node));
      onNodeLost.accept(node);
      // Whoever gets there first tidies the map; the others find nothing to remove.
      vertx.executeBlocking(() -> {
        members.keySet().stream().filter(k -> k.endsWith("|" + node)).forEach(members::delete);
        return null;
      }, false);
    }
  }
}
