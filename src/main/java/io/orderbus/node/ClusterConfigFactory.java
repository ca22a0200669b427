package io.orderbus.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast configuration of a node: {@code conf/cluster.xml} (or the copy in the jar) for
 * what every node shares, then this node's cluster name, address, port and members.
 */
public final class ClusterConfigFactory {

  private ClusterConfigFactory() {
  }

  public static Config create(NodeConfig config) {
    Config hz = load();
    hz.setClusterName(config.string("clusterName"));
    // Unique within a JVM (tests run several nodes in one), recognisable in thread names.
    hz.setInstanceName("orderbus-" + config.string("clusterName") + "-" + config.integer("clusterPort"));
    String host = resolve(config.string("clusterHost"));
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.integer("clusterPort")).setPortAutoIncrement(false);
    String publicHost = config.string("clusterPublicHost");
    if (!publicHost.isBlank()) {
      network.setPublicAddress(publicHost + ":" + config.integer("clusterPort"));
    }
    network.getInterfaces().setEnabled(true).clear().addInterface(host);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.list("members"));
    return hz;
  }

  /** An interface must be an IP address; a name (a compose service, a pod) is resolved to its own. */
  static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new NodeConfig.InvalidConfigException("clusterHost '" + host + "' does not resolve");
    }
  }

  private static Config load() {
    Path file = Path.of("conf/cluster.xml");
    try (InputStream in = Files.isRegularFile(file)
        ? Files.newInputStream(file)
        : ClusterConfigFactory.class.getClassLoader().getResourceAsStream("cluster.xml")) {
      if (in == null) {
        throw new IllegalStateException("cluster.xml is missing from the classpath");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException | InvalidConfigurationException e) {
      throw new NodeConfig.InvalidConfigException("cannot read cluster.xml: " + e.getMessage());
    }
  }
}
