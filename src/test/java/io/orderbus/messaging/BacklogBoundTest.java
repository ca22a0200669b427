package io.orderbus.messaging;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.Scrape;
import io.orderbus.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The backlog bound ({@code maxBacklog} 5) between two clustered nodes in one JVM: a group with no member
 * fills up, publishing past the bound is refused, and what was accepted is all delivered once a member
 * joins. Its own cluster, so that no other test runs under so small a bound.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BacklogBoundTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private TestNodes nodes;
  private Node producer;
  private Node consumer;
  private String topic;

  @BeforeEach
  void start() throws Exception {
    nodes = new TestNodes(2);
    Object[] settings = {"maxBacklog", 5, "redeliveryInterval", "PT0.1S"};
    producer = nodes.start(0, "gateway", settings);
    consumer = nodes.start(1, "email", settings);
    topic = "Test" + UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void pastTheBacklogBoundPublishingIsRefusedAndNothingAcceptedIsLost(Vertx vertx) throws Exception {
    GroupSpec group = new GroupSpec("slow-" + topic, Set.of(topic));
    producer.delivery().declare(group).await(10, TimeUnit.SECONDS);
    int accepted = 0;
    Throwable refusal = null;
    for (int i = 0; i < 20 && refusal == null; i++) {
      try {
        producer.delivery().publish(topic, "b" + i, new JsonObject()).await(10, TimeUnit.SECONDS);
        accepted++;
      } catch (BacklogFullException e) {
        refusal = e;
      }
    }
    assertThat(refusal).isInstanceOf(BacklogFullException.class);
    // One producer counts exactly what it answers for: the bound, no more, no less.
    assertThat(accepted).isEqualTo(5);
    assertThatThrownBy(() -> producer.delivery().publish(topic, "more", new JsonObject()).await(10, TimeUnit.SECONDS))
        .isInstanceOf(BacklogFullException.class);
    Scrape metrics = new Scrape(new Api(vertx, producer.httpPort()).get("/metrics").body());
    assertThat(metrics.sum("orderbus_delivery_refused_total", "group", group.name())).isEqualTo(2);
    assertThat(metrics.sum("orderbus_delivery_published_total", "group", group.name())).isEqualTo(accepted);

    Set<String> seen = ConcurrentHashMap.newKeySet();
    consumer.delivery().subscribe(group, event -> {
      seen.add(event.id());
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    int stored = accepted;
    Eventually.until(WAIT, "backlog drained", () -> seen.size() == stored);
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < stored; i++) {
      expected.add("b" + i);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
  }}
