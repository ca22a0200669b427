package io.orderbus.node;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Keeps this node reachable on the event bus after a split brain's merge.
 *
 * <p>Vert.x's Hazelcast cluster manager removes, from the cluster's maps, the subscriptions and node info of
 * every node it sees leave. On a node that was split off (a long pause), those removals are held up, retried
 * while its view of the partitions is stale, and can run only once it has merged back: against the merged
 * cluster, where they remove live nodes' registrations. Sends to such a node then vanish (a plain send to an
 * address without handlers is dropped silently), and a node of a group nobody else could stand in for never
 * got its events again (PausedNodeIT, 2026-11-26: twelve events pending for two minutes after the merge).
 *
 * <p>So every node checks every {@link #CHECK_MS} that its node info is still there (the clean-up removes a
 * node's subscriptions, then its info), and if not, announces itself again: Vert.x's own after-merge step,
 * which writes this node's info and every subscription again. Nothing else is done in normal running: an
 * announcement also clears the event bus's cache of who listens where.
 */
final class ClusterPresence {
  private static final Logger LOG = Logger.getLogger(ClusterPresence.class.getName());
  private static final String NODE_INFO_MAP = "__vertx.nodeInfo";
  static final long CHECK_MS = 2_000;

  private ClusterPresence() {
  }

  /** Watches from now on; call once the node has joined and its event bus is up. */
  static void keep(Vertx vertx, HazelcastClusterManager clusterManager) {
    IMap<String, Object> nodeInfo = clusterManager.getHazelcastInstance().getMap(NODE_INFO_MAP);
    String self = clusterManager.getNodeId();
    // One check at a time: after a long pause the timer's missed runs fire together.
    AtomicBoolean checking = new AtomicBoolean();
    vertx.setPeriodic(CHECK_MS, id -> {
      if (!checking.compareAndSet(false, true)) {
        return;
      }
      vertx.executeBlocking(() -> {
        if (!nodeInfo.containsKey(self)) {
          LOG.warning("this node's event-bus registration was removed from the cluster (a split brain's merge):"
              + " announcing it again");
          announce(clusterManager);
        }
        return null;
      }, false).onComplete(ar -> checking.set(false));
    });
  }

  private static void announce(HazelcastClusterManager clusterManager) {
    if (clusterManager.isActive()) {
      clusterManager.stateChanged(new LifecycleEvent(LifecycleEvent.LifecycleState.MERGED));
    }
  }
}
