package io.orderbus.messaging;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.Scrape;
import io.orderbus.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Durable delivery between two clustered nodes in one JVM, with test-only groups and handlers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private TestNodes nodes;
  private Node producer;
  private Node consumer;
  private String topic;

  @BeforeEach
  void start() throws Exception {
    nodes = new TestNodes(2);
    // Dead letters after 3 failed attempts, however soon: the defaults would retry for an hour first.
    Object[] fast = {"maxAttempts", 3, "deadLetterAfter", "PT0S", "retryBackoff", "PT0.05S", "retryBackoffMax", "PT0.2S",
        "redeliveryInterval", "PT0.1S"};
    producer = nodes.start(0, "gateway", fast);
    consumer = nodes.start(1, "email", fast);
    topic = "Test" + UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void eventsForAGroupWithNoMemberWaitAndArriveWhenOneJoins() throws Exception {
    GroupSpec group = new GroupSpec("late-" + topic, Set.of(topic));
    producer.delivery().declare(group).await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 4; i++) {
      producer.delivery().publish(topic, "e" + i, new JsonObject().put("n", i)).await(10, TimeUnit.SECONDS);
    }
    List<String> seen = new CopyOnWriteArrayList<>();
    consumer.delivery().subscribe(group, event -> {
      seen.add(event.id());
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    Eventually.until(WAIT, "4 events caught up", () -> seen.size() >= 4);
    assertThat(seen).containsExactlyInAnyOrder("e0", "e1", "e2", "e3");
    Eventually.until(WAIT, "nothing pending", () -> pending(group.name()) == 0);
  }

  @Test
  void eachGroupGetsEveryEventAndOneMemberOfAGroupHandlesIt() throws Exception {
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    GroupSpec a = new GroupSpec("a-" + topic, Set.of(topic));
    GroupSpec b = new GroupSpec("b-" + topic, Set.of(topic));
    for (Node node : List.of(producer, consumer)) {
      for (GroupSpec group : List.of(a, b)) {
        node.delivery().subscribe(group, event -> {
          counts.computeIfAbsent(group.name() + "/" + event.id(), k -> new AtomicInteger()).incrementAndGet();
          counts.computeIfAbsent(group.name() + "@" + node.nodeName(), k -> new AtomicInteger()).incrementAndGet();
          return Future.succeededFuture();
        }).await(10, TimeUnit.SECONDS);
      }
    }
    for (int i = 0; i < 20; i++) {
      producer.delivery().publish(topic, "e" + i, new JsonObject()).await(10, TimeUnit.SECONDS);
    }
    Eventually.until(WAIT, "all handled", () -> pending(a.name()) == 0 && pending(b.name()) == 0);
    for (int i = 0; i < 20; i++) {
      assertThat(counts.get(a.name() + "/e" + i)).as("group a, event %d", i).hasValue(1);
      assertThat(counts.get(b.name() + "/e" + i)).as("group b, event %d", i).hasValue(1);
    }
    assertThat(counts).containsKeys(a.name() + "@node0", a.name() + "@node1");
  }

  @Test
  void anEventGoesByTheTraceIdOfTheRequestThatPublishedItOnEveryAttempt() throws Exception {
    GroupSpec group = new GroupSpec("traced-" + topic, Set.of(topic));
    List<String> seen = new CopyOnWriteArrayList<>();
    Vertx consumerVertx = consumer.vertx();
    consumer.delivery().subscribe(group, event -> {
      // What the handler composes (here a timer) still goes by the event's id.
      return consumerVertx.timer(1).compose(x -> {
        seen.add(event.id() + "#" + event.attempt() + ":" + event.traceId() + ":" + Trace.current());
        return event.id().equals("traced") && event.attempt() == 1 ? Future.failedFuture("once") : Future.succeededFuture();
      });
    }).await(10, TimeUnit.SECONDS);
    io.vertx.core.Context base = producer.vertx().getOrCreateContext();
    Future.<Void>future(p -> base.runOnContext(v -> Trace.within(base, "req-9",
        () -> producer.delivery().publish(topic, "traced", new JsonObject())).onComplete(p))).await(10, TimeUnit.SECONDS);
    producer.delivery().publish(topic, "untraced", new JsonObject()).await(10, TimeUnit.SECONDS);

    Eventually.until(WAIT, "both acknowledged", () -> seen.size() >= 3 && pending(group.name()) == 0);
    assertThat(seen).containsExactlyInAnyOrder("traced#1:req-9:req-9", "traced#2:req-9:req-9", "untraced#1:null:null");
  }

  @Test
  void aHandlerThatFailsTwiceSucceedsOnTheThirdAttempt() throws Exception {
    GroupSpec group = new GroupSpec("flaky-" + topic, Set.of(topic));
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    consumer.delivery().subscribe(group, event -> {
      attempts.add(event.attempt());
      return attempts.size() < 3 ? Future.failedFuture("not yet") : Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    producer.delivery().publish(topic, "flaky-1", new JsonObject()).await(10, TimeUnit.SECONDS);
    Eventually.until(WAIT, "acknowledged", () -> attempts.size() >= 3 && pending(group.name()) == 0);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(producer.deliveryAdmin().deadLetters(10).await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void anOperatorSeesWhatIsPendingWhoHoldsItAndWhyItFailed(Vertx vertx) throws Exception {
    GroupSpec group = new GroupSpec("stuck-" + topic, Set.of(topic));
    // The first attempt fails; the second hangs until released (this group gives up after 3).
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    consumer.delivery().subscribe(group, event ->
        calls.incrementAndGet() == 1 ? Future.failedFuture("warehouse offline") : release.future()).await(10, TimeUnit.SECONDS);
    producer.delivery().publish(topic, "stuck-1", new JsonObject()).await(10, TimeUnit.SECONDS);
    Eventually.until(WAIT, "the second attempt under way", () -> calls.get() >= 2);

    Api api = new Api(vertx, producer.httpPort());
    JsonObject pending = Eventually.await(WAIT, "the event listed as pending, with its failure", () -> {
      JsonArray events = api.get("/admin/pending?limit=50").json().getJsonArray("pending");
      return events.stream().map(JsonObject.class::cast)
          .filter(e -> e.getString("eventId").equals("stuck-1") && e.getInteger("attempts") >= 1).findFirst().orElse(null);
    });
    assertThat(pending.getString("group")).isEqualTo(group.name());
    assertThat(pending.getString("holder")).isNotBlank();
    assertThat(pending.getString("lastError")).contains("warehouse offline");
    assertThat(pending.getLong("nextAttemptAt")).isGreaterThan(pending.getLong("publishedAt"));
    assertThat(api.anonymous().get("/admin/pending").status()).as("operator only").isEqualTo(401);

    vertx.runOnContext(v -> release.tryComplete());
    Eventually.until(WAIT, "handled, and no longer listed", () -> pending(group.name()) == 0
        && api.get("/admin/pending").json().getJsonArray("pending").stream().map(JsonObject.class::cast)
            .noneMatch(e -> e.getString("eventId").equals("stuck-1")));
  }

  @Test
  void aHandlerThatAlwaysFailsEndsInDeadLettersAndCanBeReplayed(Vertx vertx) throws Exception {
    GroupSpec group = new GroupSpec("broken-" + topic, Set.of(topic));
    AtomicBoolean fixed = new AtomicBoolean(false);
    AtomicInteger calls = new AtomicInteger();
    List<String> handled = new CopyOnWriteArrayList<>();
    consumer.delivery().subscribe(group, event -> {
      calls.incrementAndGet();
      if (!fixed.get()) {
        return Future.failedFuture("mail server says no");
      }
      handled.add(event.id());
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    producer.delivery().publish(topic, "doomed", new JsonObject().put("x", 1)).await(10, TimeUnit.SECONDS);

    Api api = new Api(vertx, producer.httpPort());
    JsonObject dead = Eventually.await(WAIT, "a dead letter", () -> {
      JsonArray letters = api.get("/admin/dead-letters").json().getJsonArray("deadLetters");
      return letters.stream().map(JsonObject.class::cast).filter(l -> l.getString("eventId").equals("doomed"))
          .findFirst().orElse(null);
    });
    assertThat(dead.getInteger("attempts")).isEqualTo(3);
    assertThat(dead.getString("lastError")).contains("mail server says no");
    assertThat(calls.get()).isEqualTo(3);
    assertThat(pending(group.name())).isZero();
    Scrape metrics = new Scrape(api.get("/metrics").body());
    assertThat(metrics.sum("orderbus_delivery_failed_attempts_total", "group", group.name())).isEqualTo(3);
    assertThat(metrics.sum("orderbus_delivery_dead_lettered_total", "group", group.name())).isEqualTo(1);
    assertThat(metrics.sum("orderbus_delivery_handled_total", "group", group.name(), "outcome", "failed")).isEqualTo(3);
    assertThat(metrics.sum("orderbus_group_dead_letters", "group", group.name())).isEqualTo(1);

    fixed.set(true);
    var replay = api.raw(HttpMethod.POST, "/admin/dead-letters/" + dead.getString("id") + "/replay", null, null);
    assertThat(replay.status()).isEqualTo(200);
    Eventually.until(WAIT, "replayed event handled", () -> handled.contains("doomed"));
    assertThat(producer.deliveryAdmin().deadLetters(10).await(10, TimeUnit.SECONDS)).isEmpty();
    var again = api.raw(HttpMethod.POST, "/admin/dead-letters/" + dead.getString("id") + "/replay", null, null);
    assertThat(again.status()).isEqualTo(404);
  }

  @Test
  void delayedEventsArriveNoEarlierThanTheirDelay() throws Exception {
    GroupSpec group = new GroupSpec("later-" + topic, Set.of(topic));
    Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    consumer.delivery().subscribe(group, event -> {
      arrivedAt.put(event.id(), System.currentTimeMillis());
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    long published = System.currentTimeMillis();
    producer.delivery().publishDelayed(topic, "soon", new JsonObject(), Duration.ofMillis(1500)).await(10, TimeUnit.SECONDS);
    Eventually.until(WAIT, "delayed event", () -> arrivedAt.containsKey("soon"));
    assertThat(arrivedAt.get("soon") - published).isGreaterThanOrEqualTo(1500);
  }

  @Test
  void theSafetyScanResendsAStrandedEntryButNotOneAcknowledgedSinceItWasRead() throws Exception {
    GroupSpec group = new GroupSpec("scan-" + topic, Set.of(topic));
    producer.delivery().declare(group).await(10, TimeUnit.SECONDS);
    List<String> seen = new CopyOnWriteArrayList<>();
    consumer.delivery().subscribe(group, event -> {
      seen.add(event.id());
      return Future.succeededFuture();
    }).await(10, TimeUnit.SECONDS);
    DurableDelivery durable = (DurableDelivery) producer.delivery();
    String self = durable.holderName();
    // Both were read by the scan as this node's and long overdue; only one is still in the map.
    PendingEntry stranded = new PendingEntry(group.name(), topic, "stranded", "{}", 1L, self, 1L, self);
    PendingEntry acknowledged = new PendingEntry(group.name(), topic, "acknowledged", "{}", 1L, self, 1L, self);
    producer.hazelcast().<String, PendingEntry>getMap(MessagingContract.PENDING_MAP).set(stranded.key(), stranded);

    int taken = durable.dispatcher().takeUntracked(List.of(stranded, acknowledged)).await(10, TimeUnit.SECONDS);

    assertThat(taken).isEqualTo(1);
    Eventually.until(WAIT, "the stranded event handled", () -> seen.contains("stranded"));
    Eventually.until(WAIT, "nothing pending", () -> pending(group.name()) == 0);
    assertThat(seen).containsExactly("stranded");
  }

  private long pending(String group) {
    return producer.deliveryAdmin().groupStats().await().get(group).pending();
  }
}
