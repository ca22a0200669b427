package io.orderbus.node;

import com.hazelcast.multimap.MultiMap;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose event-bus registrations were removed from the cluster's maps while it was alive (what a
 * split-off node's held-up clean-up does once it has merged back) announces itself again, and can be sent
 * to once more. Without that, every send to it stays unanswered for good.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPresenceTest {
  private static final String ADDRESS = "presence-test";
  private final TestNodes nodes = new TestNodes(2);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void aNodeWhoseRegistrationsWereRemovedAnnouncesItselfAgain() throws Exception {
    Node sender = nodes.start(0, "order");
    Node receiver = nodes.start(1, "inventory");
    receiver.vertx().eventBus().<String>consumer(ADDRESS, m -> m.reply("here")).completion().await(10, TimeUnit.SECONDS);
    assertThat(ask(sender)).isEqualTo("here");

    // What Vert.x's cluster manager does for a node it saw leave: remove its subscriptions, then its info.
    String receiverId = receiver.hazelcast().getCluster().getLocalMember().getAttribute("__vertx.nodeId");
    MultiMap<String, HazelcastRegistrationInfo> subs = sender.hazelcast().getMultiMap("__vertx.subs");
    int removed = 0;
    for (Map.Entry<String, HazelcastRegistrationInfo> entry : subs.entrySet()) {
      if (entry.getValue().unwrap().nodeId().equals(receiverId)) {
        subs.remove(entry.getKey(), entry.getValue());
        removed++;
      }
    }
    sender.hazelcast().getMap("__vertx.nodeInfo").remove(receiverId);
    assertThat(removed).as("subscriptions of the receiver found and removed").isPositive();

    String answer = Eventually.await(Duration.ofSeconds(4 * ClusterPresence.CHECK_MS / 1000 + 10),
        "the receiver reachable again", () -> {
          try {
            return ask(sender);
          } catch (ReplyException e) {
            assertThat(e.failureType()).as(e.toString()).isIn(ReplyFailure.NO_HANDLERS, ReplyFailure.TIMEOUT);
            return null;
          }
        });
    assertThat(answer).isEqualTo("here");
  }

  private static String ask(Node sender) {
    try {
      return sender.vertx().eventBus().<String>request(ADDRESS, "?", new DeliveryOptions().setSendTimeout(1000))
          .await(5, TimeUnit.SECONDS).body();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer, not even a failure, within 5 s", e);
    }
  }
}
