package io.orderbus.support;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.orderbus.node.ClusterConfigFactory;
import io.orderbus.node.Node;
import io.orderbus.node.NodeConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Clustered nodes inside the test JVM, each on its own free ports, all in a cluster of a random name so
 * that no other test's nodes can join. {@link #close()} stops them in reverse order of start.
 */
public final class TestNodes implements AutoCloseable {
  private final String clusterName = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Node> started = new ArrayList<>();
  private final List<HazelcastInstance> bareMembers = new ArrayList<>();

  /** Reserves the cluster ports of {@code count} nodes, so every node knows all members from the start. */
  public TestNodes(int count) {
    for (int i = 0; i < count; i++) {
      clusterPorts.add(Ports.free());
    }
  }

  public String clusterName() {
    return clusterName;
  }

  public String members() {
    return String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** Config of node {@code index}: its roles, a free HTTP port, and any further settings as key/value pairs. */
  public NodeConfig config(int index, String roles, Object... settings) {
    NodeConfig config = NodeConfig.defaultsOnly()
        .with("nodeName", "node" + index)
        .with("roles", roles)
        .with("clusterName", clusterName)
        .with("clusterHost", "127.0.0.1")
        .with("clusterPort", clusterPorts.get(index))
        .with("members", members())
        .with("httpPort", 0);
    for (int i = 0; i < settings.length; i += 2) {
      config = config.with((String) settings[i], settings[i + 1]);
    }
    return config;
  }

  public Node start(int index, String roles, Object... settings) throws Exception {
    Node node = Node.start(config(index, roles, settings)).await(120, TimeUnit.SECONDS);
    started.add(node);
    return node;
  }

  /** A standalone Hazelcast member of this cluster, for a service tested alone on a local Vert.x. */
  public HazelcastInstance hazelcast(int index) {
    HazelcastInstance instance = Hazelcast.newHazelcastInstance(ClusterConfigFactory.create(config(index, "email").settings()));
    bareMembers.add(instance);
    return instance;
  }

  /** Stops one node now (gracefully: it leaves the cluster). */
  public void stop(Node node) throws Exception {
    started.remove(node);
    node.stop().await(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).stop().await(60, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Keep stopping the others.
      }
    }
    started.clear();
    bareMembers.forEach(HazelcastInstance::shutdown);
    bareMembers.clear();
  }
}
