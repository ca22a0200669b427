package io.orderbus.messaging;

import io.orderbus.node.Node;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code consumerConcurrency}: a spike waits in the member's queue and is handled at that pace, none lost.
 * With {@code maxInFlight} below the spike, most events are stored without being sent and go out from
 * their owners' redelivery scans as slots free up: the same outcome, each event handled once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerConcurrencyTest {
  private static final int CONCURRENCY = 3;
  private static final int WINDOW = 4;
  private static final int SPIKE = 30;
  private TestNodes nodes;
  private Node producer;
  private Node consumer;

  @BeforeEach
  void start() throws Exception {
    nodes = new TestNodes(2);
    // The ack timeout covers the whole spike's time in the queue, so nothing is redelivered meanwhile.
    Object[] settings = {"consumerConcurrency", CONCURRENCY, "maxInFlight", WINDOW, "ackTimeout", "PT10S"};
    producer = nodes.start(0, "gateway", settings);
    consumer = nodes.start(1, "email", settings);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void aMemberHandlesNoMoreEventsAtOnceThanItsConsumerConcurrency() throws Exception {
    String topic = "Spike" + UUID.randomUUID().toString().substring(0, 6);
    GroupSpec group = new GroupSpec("steady-" + topic, Set.of(topic));
    AtomicInteger active = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    consumer.delivery().subscribe(group, event -> {
      calls.incrementAndGet();
      mostAtOnce.accumulateAndGet(active.incrementAndGet(), Math::max);
      // Held long enough that the rest of the spike arrives while the first ones still run.
      return consumer.vertx().timer(100).<Void>mapEmpty().onComplete(done -> {
        active.decrementAndGet();
        handled.add(event.id());
      });
    }).await(10, TimeUnit.SECONDS);

    List<Future<Void>> published = new ArrayList<>();
    for (int i = 0; i < SPIKE; i++) {
      published.add(producer.delivery().publish(topic, "spike-" + i, new JsonObject()));
    }
    Future.all(published).await(10, TimeUnit.SECONDS);
    Eventually.until(Duration.ofSeconds(30), "spike drained", () -> handled.size() == SPIKE
        && producer.delivery().groupStats().await().getJsonObject(group.name()).getLong("pending") == 0);

    assertThat(mostAtOnce.get()).isEqualTo(CONCURRENCY);
    assertThat(calls.get()).as("each event handled once: none redelivered while it waited").isEqualTo(SPIKE);
  }
}
