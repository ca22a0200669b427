package io.orderbus.messaging;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster-wide list of consumer groups and their topics, with a local copy kept current by a map
 * listener so that publishing does not ask the cluster which groups exist.
 */
final class GroupRegistry {

  private final Vertx vertx;
  private final IMap<String, String> groups;
  private final Map<String, Set<String>> topicsByGroup = new ConcurrentHashMap<>();

  GroupRegistry(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.groups = hazelcast.getMap(MessagingContract.GROUPS_MAP);
  }

  /** Starts listening, then reads what is already declared, so that no declaration is missed. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      groups.addEntryListener(new Listener(), true);
      groups.forEach(this::remember);
      return null;
    }, false);
  }

  Future<Void> declare(GroupSpec group) {
    remember(group.name(), String.join(",", new TreeSet<>(group.topics())));
    return vertx.executeBlocking(() -> {
      // Merge with what others declared: a group's topics only grow.
      Set<String> topics = new TreeSet<>(group.topics());
      String previous = groups.get(group.name());
      if (previous != null) {
        topics.addAll(Arrays.asList(previous.split(",")));
      }
      String joined = String.join(",", topics);
      if (!joined.equals(previous)) {
        groups.set(group.name(), joined);
      }
      remember(group.name(), joined);
      return null;
    }, false);
  }

  /**
   * The groups of a topic. The local copy lags a declaration on another node by the listener's latency,
   * so a topic that seems to have no group at all is looked up in the cluster map before the answer is
   * trusted.
   */
  Future<List<String>> groupsOf(String topic) {
    List<String> known = groupsFor(topic);
    if (!known.isEmpty()) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> {
      groups.forEach(this::remember);
      return groupsFor(topic);
    }, false);
  }

  List<String> groupsFor(String topic) {
    List<String> out = new ArrayList<>();
    topicsByGroup.forEach((group, topics) -> {
      if (topics.contains(topic)) {
        out.add(group);
      }
    });
    return out;
  }

  Set<String> groupNames() {
    return new TreeSet<>(topicsByGroup.keySet());
  }

  Set<String> topicsOf(String group) {
    return topicsByGroup.getOrDefault(group, Set.of());
  }

  private void remember(String group, String topics) {
    topicsByGroup.merge(group, Set.copyOf(Arrays.asList(topics.split(","))), (a, b) -> {
      Set<String> all = new TreeSet<>(a);
      all.addAll(b);
      return Set.copyOf(all);
    });
  }

  private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      remember(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      remember(event.getKey(), event.getValue());
    }
  }
}
