package io.orderbus;

import io.orderbus.inventory.InventoryContract;
import io.orderbus.inventory.SkuStock;
import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.Scrape;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several clustered Vert.x nodes in one JVM: gateway+order, inventory, email, and a second
 * inventory+email node, so every group has two members on different nodes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusteredOrderFlowTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static TestNodes nodes;
  private static Node gateway;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(4);
    gateway = nodes.start(0, "gateway,order");
    nodes.start(1, "inventory");
    nodes.start(2, "email");
    nodes.start(3, "inventory,email");
    api = new Api(vertx, gateway.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void asyncOrderIsAcceptedAtOnceThenConfirmedWithOneEmail() {
    String email = unique("async");
    Response accepted = api.post("/orders", Api.order(email, "book", 2));
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().getString("id");
    assertThat(accepted.headers().get("Location")).isEqualTo("/orders/" + id);
    assertThat(accepted.json().getString("status")).isEqualTo("ACCEPTED");
    // Read-your-writes: the order is there right after the 202.
    assertThat(api.get("/orders/" + id).status()).isEqualTo(200);

    JsonObject order = Eventually.await(SETTLE, "order confirmed and emailed", () -> {
      JsonObject o = api.get("/orders/" + id).json();
      return "CONFIRMED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus")) ? o : null;
    });
    List<String> events = order.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("event")).toList();
    assertThat(events).contains("ACCEPTED", "StockReserved", "CONFIRMED", "EmailSent");
    assertThat(order.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("node")))
        .allMatch(node -> node != null && node.startsWith("node"));
    assertThat(emailsTo(email)).hasSize(1);
  }

  @Test
  void syncOrderAnswers201WithTheFinalState() {
    String email = unique("sync");
    Response created = api.post("/orders?mode=sync", Api.order(email, "pen", 3));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(created.json().getString("emailStatus")).isEqualTo("SENT");
    assertThat(emailsTo(email)).hasSize(1);
  }

  @Test
  void outOfStockIs409OnBothPaths() {
    String sku = "scarce-" + UUID.randomUUID().toString().substring(0, 6);
    assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 1)).status()).isEqualTo(200);
    Response async = api.post("/orders", Api.order(unique("oos"), sku, 5));
    assertThat(async.status()).isEqualTo(409);
    assertThat(async.json().getString("error")).isEqualTo("OUT_OF_STOCK");
    Response sync = api.post("/orders?mode=sync", Api.order(unique("oos"), sku, 5));
    assertThat(sync.status()).isEqualTo(409);
    assertThat(sync.json().getString("error")).isEqualTo("OUT_OF_STOCK");
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isEqualTo(1);
  }

  @Test
  void asyncOrderThatLosesTheRaceForStockIsRejected() {
    String sku = "race-" + UUID.randomUUID().toString().substring(0, 6);
    api.put("/inventory/" + sku, new JsonObject().put("available", 5));
    Eventually.until(SETTLE, "order node knows the level", () ->
        api.post("/orders?mode=sync", Api.order(unique("warm"), sku, 1)).status() == 201);
    // Someone else takes the stock behind the order service's back: its cached level is now stale.
    gateway.hazelcast().getMap(InventoryContract.STOCK_MAP).set(sku, new SkuStock(0));
    Response accepted = api.post("/orders", Api.order(unique("race"), sku, 2));
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().getString("id");
    JsonObject order = Eventually.await(SETTLE, "order rejected", () -> {
      JsonObject o = api.get("/orders/" + id).json();
      return "REJECTED".equals(o.getString("status")) ? o : null;
    });
    assertThat(order.getString("reason")).isEqualTo("OUT_OF_STOCK");
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isZero();
  }

  @Test
  void withTwoMembersPerGroupEachOrderGetsOneEmailAndOneReservation() {
    String sku = "pair-" + UUID.randomUUID().toString().substring(0, 6);
    api.put("/inventory/" + sku, new JsonObject().put("available", 1000));
    String email = unique("pair");
    int orders = 20;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < orders; i++) {
      Response r = api.post("/orders", Api.order(email, sku, 1));
      assertThat(r.status()).isEqualTo(202);
      ids.add(r.json().getString("id"));
    }
    Eventually.until(SETTLE, "all orders confirmed and emailed", () -> ids.stream().allMatch(id -> {
      JsonObject o = api.get("/orders/" + id).json();
      return "CONFIRMED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus"));
    }));
    JsonArray emails = emailsTo(email);
    assertThat(emails).hasSize(orders);
    Set<String> orderIds = new HashSet<>();
    Set<String> senders = new HashSet<>();
    emails.forEach(e -> {
      orderIds.add(((JsonObject) e).getString("orderId"));
      senders.add(((JsonObject) e).getString("node"));
    });
    assertThat(orderIds).isEqualTo(ids);
    assertThat(senders).as("load spread over both email members").containsExactlyInAnyOrder("node2", "node3");
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isEqualTo(1000 - orders);
  }

  @Test
  void aRetriedPostWithTheSameIdempotencyKeyIsTheSameOrder() {
    String email = unique("retry");
    String key = UUID.randomUUID().toString();
    Response first = api.send(api.client().post("/orders").putHeader("Idempotency-Key", key), "application/json",
        Api.order(email, "mug", 1).toBuffer());
    Response second = api.send(api.client().post("/orders").putHeader("Idempotency-Key", key), "application/json",
        Api.order(email, "mug", 1).toBuffer());
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.json().getString("id")).isEqualTo(first.json().getString("id"));
    Eventually.until(SETTLE, "the one order emailed", () ->
        "SENT".equals(api.get("/orders/" + first.json().getString("id")).json().getString("emailStatus")));
    assertThat(emailsTo(email)).hasSize(1);
  }

  @Test
  void aRetryOfAnOrderThatTookTheLastUnitsIsThatOrderNotARefusal() {
    String sku = "last-" + UUID.randomUUID().toString().substring(0, 6);
    api.put("/inventory/" + sku, new JsonObject().put("available", 3));
    String key = UUID.randomUUID().toString();
    JsonObject body = Api.order(unique("last"), sku, 3);
    Response first = withKey(key, "/orders", body);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String id = first.json().getString("id");
    // Once the order node has heard the level is 0, it refuses new orders for the SKU at the door.
    Eventually.until(SETTLE, "new orders refused at the door", () ->
        api.post("/orders", Api.order(unique("late"), sku, 1)).status() == 409);

    Response retried = withKey(key, "/orders", body);
    assertThat(retried.status()).as("found its order, not refused by the level it brought down: %s", retried.body())
        .isEqualTo(202);
    assertThat(retried.json().getString("id")).isEqualTo(id);
  }

  @Test
  void aRetriedSyncOrderAnswersWhatTheFirstAnswered() {
    String sku = "retry-" + UUID.randomUUID().toString().substring(0, 8);
    api.put("/inventory/" + sku, new JsonObject().put("available", 1));
    String key = UUID.randomUUID().toString();
    JsonObject tooMany = Api.order(unique("retry-sync"), sku, 2);
    Response first = withKey(key, "/orders?mode=sync", tooMany);
    Response again = withKey(key, "/orders?mode=sync", tooMany);
    assertThat(first.status()).as(first.body()).isEqualTo(409);
    assertThat(again.status()).as("the retry of a rejected order: " + again.body()).isEqualTo(409);
    assertThat(again.json().getString("error")).isEqualTo(first.json().getString("error"));

    String confirmedKey = UUID.randomUUID().toString();
    JsonObject one = Api.order(unique("retry-sync"), sku, 1);
    Response placed = withKey(confirmedKey, "/orders?mode=sync", one);
    Response replayed = withKey(confirmedKey, "/orders?mode=sync", one);
    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.json().getString("id")).isEqualTo(placed.json().getString("id"));
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).as("taken once").isZero();
  }

  @Test
  void anIdempotencyKeyReusedForAnotherRequestIs422() {
    String key = UUID.randomUUID().toString();
    String email = unique("reused");
    assertThat(withKey(key, "/orders", Api.order(email, "book", 1)).status()).isEqualTo(202);
    Response other = withKey(key, "/orders", Api.order(email, "book", 2));
    assertThat(other.status()).as(other.body()).isEqualTo(422);
    assertThat(other.json().getString("error")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(withKey(key, "/orders?mode=sync", Api.order(email, "book", 1)).status())
        .as("the same body on the other path is another request").isEqualTo(422);
  }

  @Test
  void concurrentRequestsWithOneIdempotencyKeyPlaceOneOrder() {
    String sku = "same-key-" + UUID.randomUUID().toString().substring(0, 8);
    api.put("/inventory/" + sku, new JsonObject().put("available", 100));
    String key = UUID.randomUUID().toString();
    String email = unique("same-key");
    List<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>> posts =
        new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      posts.add(api.client().post("/orders").putHeader("Idempotency-Key", key).sendJsonObject(Api.order(email, sku, 1)));
    }
    try {
      io.vertx.core.Future.join(posts).await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    Set<String> ids = new HashSet<>();
    for (var post : posts) {
      Response r = Api.toResponse(post.result());
      if (r.status() == 202) {
        ids.add(r.json().getString("id"));
      } else {
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.json().getString("error")).isEqualTo("REQUEST_IN_PROGRESS");
        assertThat(r.headers().get("Retry-After")).isEqualTo("1");
      }
    }
    assertThat(ids).as("one order for one key").hasSize(1);
    String id = ids.iterator().next();
    Response late = withKey(key, "/orders", Api.order(email, sku, 1));
    assertThat(late.status()).isEqualTo(202);
    assertThat(late.json().getString("id")).isEqualTo(id);
    Eventually.until(SETTLE, "the one order emailed", () ->
        "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).as("taken once").isEqualTo(99);
    assertThat(emailsTo(email)).hasSize(1);
  }

  private Response withKey(String key, String path, JsonObject body) {
    return api.send(api.client().post(path).putHeader("Idempotency-Key", key), "application/json", body.toBuffer());
  }

  @Test
  void syncOrderWithNoInventoryMemberIs503NamingInventory() throws Exception {
    try (TestNodes lonely = new TestNodes(1)) {
      Node node = lonely.start(0, "gateway,order,email");
      Api alone = new Api(gateway.vertx(), node.httpPort());
      Response response = alone.post("/orders?mode=sync", Api.order(unique("lonely"), "book", 1));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.json().getString("error")).isEqualTo("SERVICE_UNAVAILABLE");
      assertThat(response.json().getString("service")).isEqualTo("inventory");
      assertThat(response.headers().get("Retry-After")).isEqualTo("1");
    }
  }

  @Test
  void clusterShowsNodesRolesAndGroups() {
    JsonObject cluster = api.get("/cluster").json();
    assertThat(cluster.getJsonArray("nodes")).hasSize(4);
    // Every node waits for its backups before it says ready, so a ready cluster is safe to take a node from.
    assertThat(cluster.getBoolean("safe")).as("every backup in sync: %s", cluster).isTrue();
    assertThat(cluster.getString("master")).as("Hazelcast's master: the oldest member, started first").isEqualTo("node0");
    JsonObject groups = cluster.getJsonObject("groups");
    assertThat(groups.fieldNames()).contains("order", "inventory", "email");
    assertThat(groups.getJsonObject("email").getJsonArray("members").getList()).containsExactlyInAnyOrder("node2", "node3");
    assertThat(groups.getJsonObject("email").getLong("inFlight")).isNotNull().isGreaterThanOrEqualTo(0);
    assertThat(groups.getJsonObject("email").getLong("pending")).isNotNull();
    assertThat(groups.getJsonObject("email").getLong("deadLetters")).isZero();
    assertThat(cluster.getJsonArray("nodes").stream().map(JsonObject.class::cast))
        .allSatisfy(n -> assertThat(n.getLong("pendingOwned")).isNotNull());
    assertThat(api.get("/ready").status()).isEqualTo(200);
    assertThat(api.get("/health").json().getString("status")).isEqualTo("UP");
  }

  @Test
  void metricsGatherEveryNodeAndCountBothOrderPaths() {
    Scrape before = scrape();
    String email = unique("metered");
    assertThat(api.post("/orders?mode=sync", Api.order(email, "pen", 1)).status()).isEqualTo(201);
    String id = api.post("/orders", Api.order(email, "pen", 1)).json().getString("id");
    Eventually.until(SETTLE, "async order confirmed and emailed", () -> {
      JsonObject o = api.get("/orders/" + id).json();
      return "CONFIRMED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus"));
    });

    // Acknowledgements are counted as their deletes complete, a moment after the effects are visible.
    Scrape after = Eventually.await(SETTLE, "the async order's events counted as acknowledged", () -> {
      Scrape s = scrape();
      return s.sum("orderbus_delivery_acknowledged_total", "group", "email")
          > before.sum("orderbus_delivery_acknowledged_total", "group", "email") ? s : null;
    });
    assertThat(after.problems()).isEmpty();
    assertThat(after.values("orderbus_node_up", "node")).containsExactlyInAnyOrder("node0", "node1", "node2", "node3");
    assertThat(after.sum("orderbus_node_up")).isEqualTo(4);
    for (String status : List.of("201", "202")) {
      assertThat(after.sum("orderbus_http_server_requests_seconds_count", "route", "/orders", "status", status)
          - before.sum("orderbus_http_server_requests_seconds_count", "route", "/orders", "status", status))
          .as("POST /orders answered " + status).isEqualTo(1);
    }
    for (String group : List.of("inventory", "email")) {
      assertThat(after.sum("orderbus_delivery_published_total", "group", group, "node", "node0")
          - before.sum("orderbus_delivery_published_total", "group", group, "node", "node0"))
          .as("OrderCreated stored for " + group + " by the order node").isEqualTo(1);
      assertThat(after.sum("orderbus_delivery_handled_total", "group", group, "outcome", "ok")
          - before.sum("orderbus_delivery_handled_total", "group", group, "outcome", "ok"))
          .as("handled by a member of " + group).isGreaterThanOrEqualTo(1);
    }
    assertThat(after.values("orderbus_delivery_handled_total", "node")).contains("node1", "node2", "node3");
    assertThat(after.values("orderbus_group_pending", "group")).contains("order", "inventory", "email");
    assertThat(after.sum("jvm_threads_live_threads", "node", "node2")).isPositive();
  }

  private static Scrape scrape() {
    Response response = api.get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
    return new Scrape(response.body());
  }

  private static JsonArray emailsTo(String email) {
    return api.get("/emails?to=" + email).json().getJsonArray("emails");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
