package io.orderbus.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
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
import java.time.Duration;
import java.util.List;

/**
 * Builds the Hazelcast configuration of a node: {@code conf/cluster.xml} (or the copy in the jar) for
 * what every node shares, then this node's cluster name, address, port and members.
 */
public final class ClusterConfigFactory {

  private ClusterConfigFactory() {
  }

  public static Config create(Settings settings) {
    ClusterSettings cluster = settings.cluster();
    Config hz = load();
    hz.setClusterName(cluster.name());
    // Unique within a JVM (tests run several nodes in one), recognisable in thread names.
    hz.setInstanceName("orderbus-" + cluster.name() + "-" + cluster.port());
    String host = resolve(cluster.host());
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    if (!cluster.publicHost().isBlank()) {
      network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    }
    network.getInterfaces().setEnabled(true).clear().addInterface(host);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    keepForRetention(hz, settings.retention(), settings.delivery().deadLetterAfter());
    protectAgainstSplitBrain(hz, cluster.minClusterSize());
    backUpForQuorum(hz, cluster.members().size(), cluster.minClusterSize());
    if (cluster.minorityTimeout().isNegative()) {
      throw new NodeConfig.InvalidConfigException("minorityTimeout must not be negative (PT0S: never exit)");
    }
    return hz;
  }

  /** The maps whose writes a minority must refuse: everything but Vert.x's own bookkeeping. */
  static final List<String> PROTECTED_MAPS =
      List.of("orders", "orders.*", "users", "orderbus.*", "inventory.*", "inventory.stock", "inventory.reservations",
          "email.*", "email.sent", "messaging.*", "messaging.pending", "messaging.dead");
  /** What an order leaves behind, kept as long as the order: its reservation and its sent mail. */
  static final List<String> KEPT_LIKE_ORDERS = List.of("orders", "inventory.reservations", "email.sent");
  static final String SPLIT_BRAIN_PROTECTION = "majority";

  /**
   * With a minimum cluster size above 1, a side of a split smaller than it refuses every write to the
   * business and delivery maps (a paused or cut-off node cannot reserve stock or take events on its own copy
   * of the data), and a member waits at start-up until that many members have joined, so a starting
   * cluster is not a minority of itself. What a merge keeps is set per map in cluster.xml.
   */
  static void protectAgainstSplitBrain(Config hz, int minClusterSize) {
    if (minClusterSize < 1) {
      throw new NodeConfig.InvalidConfigException("minClusterSize must be at least 1");
    }
    if (minClusterSize == 1) {
      return;
    }
    hz.setProperty("hazelcast.initial.min.cluster.size", String.valueOf(minClusterSize));
    hz.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, minClusterSize)
        .setProtectOn(SplitBrainProtectionOn.WRITE));
    for (String name : PROTECTED_MAPS) {
      MapConfig map = hz.getMapConfigs().get(name);
      if (map == null) {
        throw new IllegalStateException("cluster.xml has no map '" + name + "' to protect");
      }
      map.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
    }
  }

  /** Vert.x's own maps: who listens where, and who is alive. */
  static final List<String> VERTX_MAPS = List.of("__vertx.haInfo", "__vertx.nodeInfo");

  /**
   * Copies follow the quorum. With {@code minClusterSize} a majority of the listed members, a side of a split
   * keeps working while it is that majority, and so may have lost up to {@code members - minClusterSize}
   * members at once: it must still hold a copy of every entry, or what only the lost members held is missing
   * from it until they merge back (measured in a chaos run: a master paused 5.5 s came back to find one
   * member still following it; the majority then lacked stock entries, answered {@code 422 UNKNOWN_SKU}, and
   * placed a second order for keys whose claim it could not see). So every map keeps that many backups,
   * synchronous, at least the one of cluster.xml: one on the default 3-node cluster, two on 5 nodes with 3 a
   * majority. Only the listed members are counted: list them all. Without a quorum ({@code minClusterSize}
   * 1) no side is meant to carry on alone, and cluster.xml's one backup stands.
   */
  static void backUpForQuorum(Config hz, int listedMembers, int minClusterSize) {
    int mayLose = listedMembers - minClusterSize;
    if (minClusterSize < 2 || mayLose <= 1) {
      return;
    }
    int backups = Math.min(mayLose, MapConfig.MAX_BACKUP_COUNT);
    for (String name : PROTECTED_MAPS) {
      hz.getMapConfigs().get(name).setBackupCount(backups);
    }
    for (String name : VERTX_MAPS) {
      hz.getMapConfig(name).setBackupCount(backups);
    }
    hz.getMultiMapConfig("__vertx.subs").setBackupCount(backups);
  }

  /**
   * Bounds what the cluster keeps: orders, their reservations and sent mail for {@code orderRetention} after
   * their last change, dead letters for {@code deadLetterRetention} and at most {@code maxDeadLetters} per
   * node (the least recently used go first). An order must outlive every redelivery of its events, and a
   * dead letter's replay, or a late event would find nothing to apply to, so the retention is refused
   * unless it is longer than {@code deadLetterAfter} and {@code deadLetterRetention} together.
   */
  static void keepForRetention(Config hz, RetentionSettings retention, Duration deadLetterAfter) {
    Duration orders = retention.orders();
    Duration dead = retention.deadLetters();
    Duration redelivered = deadLetterAfter.plus(dead);
    if (orders.compareTo(redelivered) <= 0) {
      throw new NodeConfig.InvalidConfigException("orderRetention (" + orders + ") must be longer than deadLetterAfter"
          + " and deadLetterRetention together (" + redelivered + "), so that an order outlives its events' redeliveries");
    }
    if (dead.isNegative() || dead.isZero() || retention.maxDeadLetters() < 1) {
      throw new NodeConfig.InvalidConfigException("deadLetterRetention and maxDeadLetters must be positive");
    }
    for (String name : KEPT_LIKE_ORDERS) {
      hz.getMapConfigs().get(name).setTimeToLiveSeconds(seconds(orders));
    }
    hz.getMapConfigs().get("messaging.dead").setTimeToLiveSeconds(seconds(dead))
        .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
            .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(retention.maxDeadLetters()));
  }

  private static int seconds(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toSeconds()));
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
