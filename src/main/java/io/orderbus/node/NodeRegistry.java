package io.orderbus.node;

import io.orderbus.messaging.HazelcastCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes run which roles: each node writes its own entry; readers keep only the entries of live
 * cluster members, so a killed node disappears as soon as Hazelcast notices.
 */
final class NodeRegistry {
  static final String NODES_MAP = "orderbus.nodes";

  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final IMap<String, String> nodes;

  NodeRegistry(Vertx vertx, ClusterManager clusterManager, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.nodes = hazelcast.getMap(NODES_MAP);
  }

  Future<Void> register(JsonObject self) {
    try {
      return HazelcastCalls.on(nodes.setAsync(clusterManager.getNodeId(), self.encode()), vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      // Hazelcast refuses at once while it shuts down (the refresh timer may still fire): a failure, not a throw.
      return Future.failedFuture(e);
    }
  }

  Future<List<JsonObject>> live() {
    return vertx.executeBlocking(() -> {
      Set<String> members = new HashSet<>(clusterManager.getNodes());
      List<JsonObject> out = new ArrayList<>();
      nodes.forEach((id, json) -> {
        if (members.contains(id)) {
          out.add(new JsonObject(json).put("id", id));
        }
      });
      out.sort(Comparator.comparing(n -> n.getString("name")));
      return out;
    }, false);
  }

  /** Events of {@code group} sent and not yet acknowledged, summed over the live nodes (as of their last refresh). */
  static long inFlightOf(List<JsonObject> nodes, String group) {
    long sum = 0;
    for (JsonObject n : nodes) {
      sum += n.getJsonObject("inFlight", new JsonObject()).getInteger(group, 0);
    }
    return sum;
  }

  /** Names of live nodes whose {@code groups} include {@code group}. */
  static JsonArray membersOf(List<JsonObject> nodes, String group) {
    JsonArray out = new JsonArray();
    nodes.forEach(n -> {
      if (n.getJsonArray("groups", new JsonArray()).contains(group)) {
        out.add(n.getString("name"));
      }
    });
    return out;
  }
}
