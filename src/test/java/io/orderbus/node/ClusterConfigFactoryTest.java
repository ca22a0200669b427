package io.orderbus.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.support.Eventually;
import io.orderbus.support.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a node's settings make of the shared cluster.xml: retention and split-brain protection. */
class ClusterConfigFactoryTest {

  @Test
  void ordersTheirReservationsAndMailAreKeptForTheOrderRetentionAndDeadLettersAreBounded() {
    Config hz = ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("orderRetention", "PT2H")
        .with("deadLetterRetention", "PT30M").with("maxDeadLetters", 500).settings());
    for (String map : ClusterConfigFactory.KEPT_LIKE_ORDERS) {
      assertThat(hz.getMapConfigs().get(map).getTimeToLiveSeconds()).as(map).isEqualTo(7200);
    }
    var dead = hz.getMapConfigs().get("messaging.dead");
    assertThat(dead.getTimeToLiveSeconds()).isEqualTo(1800);
    assertThat(dead.getEvictionConfig().getSize()).isEqualTo(500);
    assertThat(dead.getEvictionConfig().getMaxSizePolicy()).isEqualTo(MaxSizePolicy.PER_NODE);
    assertThat(hz.getMapConfigs().get("messaging.pending").getTimeToLiveSeconds()).as("pending events never expire")
        .isZero();
  }

  @Test
  void anOrderRetentionShorterThanItsEventsRedeliveriesIsRefused() {
    assertThatThrownBy(() -> ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("orderRetention", "PT1H")
        .with("deadLetterAfter", "PT1H").with("deadLetterRetention", "PT1M").settings()))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("orderRetention");
  }

  @Test
  void aMinimumClusterSizeProtectsEveryBusinessMapAndMakesAMemberWaitForIt() {
    Config hz = ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("minClusterSize", 2).settings());
    assertThat(hz.getSplitBrainProtectionConfig("majority").getMinimumClusterSize()).isEqualTo(2);
    assertThat(hz.getSplitBrainProtectionConfig("majority").getProtectOn()).isEqualTo(SplitBrainProtectionOn.WRITE);
    for (String map : ClusterConfigFactory.PROTECTED_MAPS) {
      assertThat(hz.getMapConfigs().get(map).getSplitBrainProtectionName()).as(map).isEqualTo("majority");
      assertThat(hz.getMapConfigs().get(map).getMergePolicyConfig().getPolicy()).as(map)
          .isEqualTo("com.hazelcast.spi.merge.PutIfAbsentMergePolicy");
    }
    assertThat(hz.getProperty("hazelcast.initial.min.cluster.size")).isEqualTo("2");
    assertThat(ClusterConfigFactory.create(NodeConfig.defaultsOnly().settings()).getSplitBrainProtectionConfigs())
        .as("a lone node (the default) has none").isEmpty();
  }

  @Test
  void backupsFollowTheQuorumOneOnThreeNodesTwoOnFive() {
    assertThat(ClusterConfigFactory.create(cluster(members(3), 2, 0).settings()).getMapConfig("inventory.stock")
        .getBackupCount()).isEqualTo(1);
    assertThat(ClusterConfigFactory.create(cluster(members(3), 1, 0).settings()).getMapConfig("inventory.stock")
        .getBackupCount()).as("no quorum, cluster.xml's one backup").isEqualTo(1);
    Config five = ClusterConfigFactory.create(cluster(members(5), 3, 0).settings());
    for (String map : ClusterConfigFactory.PROTECTED_MAPS) {
      assertThat(five.getMapConfigs().get(map).getBackupCount()).as(map).isEqualTo(2);
    }
    assertThat(five.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(2);
    assertThat(five.getMapConfig("__vertx.nodeInfo").getBackupCount()).isEqualTo(2);
  }

  /**
   * Five real members, three a majority; two of them terminated at once (no time to re-create backups): the
   * three left still hold every entry. With one backup, whatever had both copies on the two was gone (about a
   * tenth of the partitions).
   */
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void twoMembersLostAtOnceLoseNoEntryOfAMajorityOfFive() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ports.add(Ports.free());
    }
    String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "backups-" + UUID.randomUUID().toString().substring(0, 8);
    ExecutorService starter = Executors.newFixedThreadPool(5);
    List<HazelcastInstance> instances = new ArrayList<>();
    try {
      // In parallel: each waits until three have joined.
      List<Future<HazelcastInstance>> starting = new ArrayList<>();
      for (int port : ports) {
        Config config = ClusterConfigFactory.create(cluster(members, 3, port).with("clusterName", name).settings());
        starting.add(starter.submit(() -> Hazelcast.newHazelcastInstance(config)));
      }
      for (Future<HazelcastInstance> s : starting) {
        instances.add(s.get(120, TimeUnit.SECONDS));
      }
      HazelcastInstance survivor = instances.get(0);
      Eventually.until(Duration.ofSeconds(60), "five members", () -> survivor.getCluster().getMembers().size() == 5);
      IMap<String, Integer> stock = survivor.getMap("inventory.stock");
      Map<String, Integer> entries = new HashMap<>();
      for (int i = 0; i < 2000; i++) {
        entries.put("sku-" + i, i);
      }
      stock.putAll(entries);
      Eventually.until(Duration.ofSeconds(60), "every backup in place", () -> survivor.getPartitionService().isClusterSafe());

      instances.get(3).getLifecycleService().terminate();
      instances.get(4).getLifecycleService().terminate();
      Eventually.until(Duration.ofSeconds(60), "the two gone",
          () -> survivor.getCluster().getMembers().size() == 3 && survivor.getPartitionService().isClusterSafe());
      assertThat(stock.size()).as("entries left of 2000").isEqualTo(2000);
      assertThat(stock.getAll(entries.keySet())).isEqualTo(entries);
    } finally {
      instances.forEach(i -> i.getLifecycleService().terminate());
      starter.shutdownNow();
    }
  }

  private static String members(int count) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add("127.0.0.1:" + (5701 + i));
    }
    return String.join(",", list);
  }

  private static NodeConfig cluster(String members, int minClusterSize, int port) {
    NodeConfig config = NodeConfig.defaultsOnly().with("members", members).with("minClusterSize", minClusterSize);
    return port == 0 ? config : config.with("clusterPort", port).with("clusterHost", "127.0.0.1");
  }

  @Test
  void aNegativeMinorityTimeoutIsRefused() {
    assertThatThrownBy(() -> ClusterConfigFactory.create(
        NodeConfig.defaultsOnly().with("minorityTimeout", "PT-1S").settings()))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("minorityTimeout");
  }
}
