package io.orderbus.gateway;

import io.orderbus.messaging.DeadLetter;
import io.orderbus.messaging.DeliveryAdmin;
import io.orderbus.messaging.GroupStats;
import io.orderbus.messaging.PageCursor;
import io.orderbus.messaging.PendingEvent;
import io.orderbus.order.OrderContract;
import io.orderbus.support.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard is sent, on a local Vert.x with a made-up cluster: the cluster frame adds up each group's in
 * flight and members from the nodes; order changes are coalesced per order (the longest timeline wins) and bounded
 * between two frames, the excess counted; and nothing is sent once stopped.
 */
@ExtendWith(VertxExtension.class)
class DashboardFeedTest {
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private final List<String> frames = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  /** The gateway verticle's event loop, as it were: the feed runs on one context only. */
  private Context loop;

  @BeforeEach
  void loop(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
  }

  @Test
  void theClusterFrameSumsEachGroupOverTheNodes() throws Exception {
    DashboardFeed feed = start(Duration.ofHours(1));
    Eventually.until(SETTLE, "a cluster frame", () -> !named("cluster").isEmpty());
    JsonObject view = named("cluster").get(0);
    assertThat(view.getString("gateway")).isEqualTo("n1");
    assertThat(view.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("name")))
        .containsExactly("n1", "n2");
    assertThat(view.getJsonArray("nodes").getJsonObject(0).containsKey("inFlight")).isFalse();
    JsonObject email = view.getJsonObject("groups").getJsonObject("email");
    assertThat(email.getLong("pending")).isEqualTo(7);
    assertThat(email.getLong("deadLetters")).isEqualTo(2);
    assertThat(email.getLong("oldestPendingAgeMs")).isEqualTo(1500);
    assertThat(email.getLong("inFlight")).isEqualTo(3 + 4);
    assertThat(email.getInteger("members")).isEqualTo(2);
    assertThat(feed.lastCluster()).contains("\"pending\":7");
  }

  @Test
  void aClusterThatCannotBeReadIsSaidSoAtEveryTickAndLoggedOnce() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler counting = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger log = Logger.getLogger(ErrorMapping.class.getName());
    log.addHandler(counting);
    try {
      start(new TwoNodes() {
        @Override
        public Future<List<JsonObject>> nodes() {
          return Future.failedFuture(new IllegalStateException("the member list is unavailable"));
        }
      }, Duration.ofMillis(50), Duration.ofHours(1));
      Eventually.until(SETTLE, "three problem frames", () -> named("problem").size() >= 3);
      assertThat(named("problem")).allSatisfy(p -> {
        assertThat(p.getString("error")).isEqualTo("INTERNAL_ERROR");
        assertThat(p.getString("message")).doesNotContain("member list");
      });
      assertThat(named("cluster")).isEmpty();
      assertThat(logged).as("one warning for the run of failures").hasSize(1);
    } finally {
      log.removeHandler(counting);
    }
  }

  @Test
  void orderChangesAreCoalescedAndBoundedBetweenTwoFrames() throws Exception {
    DashboardFeed feed = start(Duration.ofSeconds(2));
    int orders = DashboardFeed.MAX_HELD + 100;
    // From the feed's own event loop: every publication lands well within one flush interval.
    loop.runOnContext(v -> {
      vertx.eventBus().publish(OrderContract.STATUS, order("same", 3).encode());
      vertx.eventBus().publish(OrderContract.STATUS, order("same", 1).encode());
      for (int i = 0; i < orders; i++) {
        vertx.eventBus().publish(OrderContract.STATUS, order("o" + i, 2).encode());
      }
    });
    Eventually.until(SETTLE, "an orders frame", () -> !named("orders").isEmpty());
    JsonObject batch = named("orders").get(0);
    JsonArray sent = batch.getJsonArray("orders");
    assertThat(sent).hasSize(DashboardFeed.MAX_HELD);
    assertThat(batch.getInteger("dropped")).as("the oldest past the bound").isEqualTo(orders + 1 - DashboardFeed.MAX_HELD);
    JsonObject newest = sent.getJsonObject(sent.size() - 1);
    assertThat(newest.getString("id")).isEqualTo("o" + (orders - 1));
    assertThat(newest.getInteger("steps")).isEqualTo(2);
    assertThat(newest.getString("lastEvent")).isEqualTo("step-2");
    assertThat(newest.containsKey("customerEmail")).isFalse();
    assertThat(newest.containsKey("items")).isFalse();

    // Another window: the order with the longer timeline stands, whatever came after it.
    loop.runOnContext(v -> {
      vertx.eventBus().publish(OrderContract.STATUS, order("late", 4).encode());
      vertx.eventBus().publish(OrderContract.STATUS, order("late", 2).encode());
    });
    Eventually.until(SETTLE, "a second orders frame", () -> named("orders").size() == 2);
    JsonObject late = named("orders").get(1).getJsonArray("orders").getJsonObject(0);
    assertThat(late.getInteger("steps")).isEqualTo(4);
    assertThat(named("orders").get(1).getInteger("dropped")).isZero();

    loop.runOnContext(v -> feed.stop());
    Eventually.until(SETTLE, "nobody listens to order changes once stopped", () -> {
      try {
        vertx.eventBus().request(OrderContract.STATUS, order("after", 1).encode()).await(5, TimeUnit.SECONDS);
        return false;
      } catch (ReplyException e) {
        return e.failureType() == ReplyFailure.NO_HANDLERS;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** A feed on {@link #loop} that reads the cluster once (then hourly) and sends order changes every {@code flush}. */
  private DashboardFeed start(Duration flush) throws Exception {
    return start(new TwoNodes(), Duration.ofHours(1), flush);
  }

  private DashboardFeed start(ClusterView cluster, Duration tick, Duration flush) throws Exception {
    DashboardFeed feed = new DashboardFeed(vertx, cluster, new EmailBacklog(), tick, flush);
    loop.runOnContext(v -> feed.start(frames::add));
    Eventually.until(SETTLE, "listening", () -> !frames.isEmpty());
    return feed;
  }

  private List<JsonObject> named(String event) {
    return frames.stream().filter(f -> f.startsWith("event: " + event + "\n"))
        .map(f -> new JsonObject(f.substring(f.indexOf("data: ") + 6).trim())).toList();
  }

  private static JsonObject order(String id, int steps) {
    JsonArray timeline = new JsonArray();
    for (int i = 1; i <= steps; i++) {
      timeline.add(new JsonObject().put("event", "step-" + i).put("node", "n1").put("at", 1000L + i).put("key", "k" + i));
    }
    return new JsonObject().put("id", id).put("customerEmail", "a@example.com").put("items", new JsonArray())
        .put("mode", "async").put("status", "ACCEPTED").put("emailStatus", "PENDING").put("createdAt", 1000L)
        .put("timeline", timeline);
  }

  /** Two live nodes, both in the email group, with 3 and 4 email events in flight. */
  private static class TwoNodes implements ClusterView {
    @Override
    public String nodeName() {
      return "n1";
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public Future<JsonObject> describe() {
      return Future.failedFuture("not asked by the dashboard");
    }

    @Override
    public Future<List<JsonObject>> nodes() {
      return Future.succeededFuture(List.of(node("n1", 3), node("n2", 4)));
    }

    @Override
    public long clusterTime() {
      return 42;
    }

    @Override
    public Future<String> metrics() {
      return Future.failedFuture("not asked by the dashboard");
    }

    private static JsonObject node(String name, int inFlight) {
      return new JsonObject().put("name", name).put("roles", new JsonArray().add("email"))
          .put("groups", new JsonArray().add("email")).put("inFlight", new JsonObject().put("email", inFlight))
          .put("startedAt", 1L);
    }
  }

  /** The email group with 7 pending, 2 dead, the oldest 1.5 s old. */
  private static final class EmailBacklog implements DeliveryAdmin {
    @Override
    public Future<Map<String, GroupStats>> groupStats() {
      return Future.succeededFuture(Map.of("email", new GroupStats(Set.of("OrderCreated"), 7, 2, 1500)));
    }

    @Override
    public Map<String, Integer> inFlight() {
      return Map.of();
    }

    @Override
    public Future<Map<String, Long>> pendingByOwner() {
      return Future.failedFuture("not asked by the dashboard");
    }

    @Override
    public Future<List<PendingEvent>> pending(int limit, PageCursor after) {
      return Future.failedFuture("not asked by the dashboard");
    }

    @Override
    public Future<List<DeadLetter>> deadLetters(int limit, PageCursor after) {
      return Future.failedFuture("not asked by the dashboard");
    }

    @Override
    public Future<DeadLetter> replay(String id) {
      return Future.failedFuture("not asked by the dashboard");
    }
  }
}
