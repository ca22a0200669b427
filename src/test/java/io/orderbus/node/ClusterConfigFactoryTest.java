package io.orderbus.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a node's settings make of the shared cluster.xml: retention and split-brain protection. */
class ClusterConfigFactoryTest {

  @Test
  void ordersTheirReservationsAndMailAreKeptForTheOrderRetentionAndDeadLettersAreBounded() {
    Config hz = ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("orderRetention", "PT2H")
        .with("deadLetterRetention", "PT30M").with("maxDeadLetters", 500));
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
        .with("deadLetterAfter", "PT1H").with("deadLetterRetention", "PT1M")))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("orderRetention");
  }

  @Test
  void aMinimumClusterSizeProtectsEveryBusinessMapAndMakesAMemberWaitForIt() {
    Config hz = ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("minClusterSize", 2));
    assertThat(hz.getSplitBrainProtectionConfig("majority").getMinimumClusterSize()).isEqualTo(2);
    assertThat(hz.getSplitBrainProtectionConfig("majority").getProtectOn()).isEqualTo(SplitBrainProtectionOn.WRITE);
    for (String map : ClusterConfigFactory.PROTECTED_MAPS) {
      assertThat(hz.getMapConfigs().get(map).getSplitBrainProtectionName()).as(map).isEqualTo("majority");
      assertThat(hz.getMapConfigs().get(map).getMergePolicyConfig().getPolicy()).as(map)
          .isEqualTo("com.hazelcast.spi.merge.PutIfAbsentMergePolicy");
    }
    assertThat(hz.getProperty("hazelcast.initial.min.cluster.size")).isEqualTo("2");
    assertThat(ClusterConfigFactory.create(NodeConfig.defaultsOnly()).getSplitBrainProtectionConfigs())
        .as("a lone node (the default) has none").isEmpty();
  }

  @Test
  void aNegativeMinorityTimeoutIsRefused() {
    assertThatThrownBy(() -> ClusterConfigFactory.create(NodeConfig.defaultsOnly().with("minorityTimeout", "PT-1S")))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("minorityTimeout");
  }
}
