package io.orderbus.messaging;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group directory heals itself. When members drop a node (a pause past the failure detector), they
 * delete its memberships; when it merges back, nothing writes them again and no listener tells it about
 * the others' entries. Before the directory re-read the map and re-wrote its own memberships, such a node
 * saw no member of a group and kept that group's events, undelivered, for good.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberDirectoryTest {
  private static final Duration WAIT = Duration.ofMillis(MemberDirectory.RESYNC_MS * 3);
  private final TestNodes nodes = new TestNodes(2);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void aMembershipDeletedByTheOthersIsWrittenAgainByItsNode(Vertx vertx) throws Exception {
    HazelcastInstance a = nodes.hazelcast(0);
    HazelcastInstance b = nodes.hazelcast(1);
    MemberDirectory member = new MemberDirectory(vertx, a);
    MemberDirectory sender = new MemberDirectory(vertx, b);
    member.start().await(30, TimeUnit.SECONDS);
    sender.start().await(30, TimeUnit.SECONDS);
    member.join("orders", 64).await(30, TimeUnit.SECONDS);
    Eventually.until(WAIT, "the sender sees the member", () -> !sender.members("orders").isEmpty());

    // What the others do when they drop a node: its memberships go.
    b.getMap(MessagingContract.MEMBERS_MAP).delete("orders|" + member.self());
    Eventually.until(WAIT, "the sender forgets the member", () -> sender.members("orders").isEmpty());

    Eventually.until(WAIT, "the membership written again, by itself", () ->
        sender.members("orders").stream().anyMatch(m -> m.node().equals(member.self()) && m.prefetch() == 64));
    assertThat(a.getMap(MessagingContract.MEMBERS_MAP).get("orders|" + member.self())).isEqualTo(64);
  }
}
