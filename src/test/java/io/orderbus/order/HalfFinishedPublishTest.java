package io.orderbus.order;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.orderbus.user.UserContract;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publish that failed half-way (the record stored, its event not, the client answered an error) is healed
 * by the client's retry, until the order or user is settled. The half-finished state is written into the
 * cluster's maps as such a failure leaves it; the retry goes through the REST API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HalfFinishedPublishTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static TestNodes nodes;
  private static Node node;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(1);
    node = nodes.start(0, "gateway,order,inventory,email", "welcomeDelay", "PT0.5S");
    api = new Api(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void aRetryHealsAConfirmedOrderWhoseEmailEventWasLost() {
    String customer = unique("half");
    JsonObject body = Api.order(customer, "book", 1);
    String key = UUID.randomUUID().toString();
    String id = UUID.randomUUID().toString();
    // Inventory got its event and confirmed the order; email's entry of the same publish was never stored,
    // and the client got an error, so the first attempt left its key open for a retry.
    long now = System.currentTimeMillis();
    Order confirmed = new Order(id, customer, List.of(new io.orderbus.inventory.InventoryContract.Line("book", 1)),
        "async", Order.CONFIRMED, null, "PENDING", now, List.of(new Order.TimelineEntry(Order.ACCEPTED, "node0", now, "accepted")));
    node.hazelcast().<String, String>getMap(OrderContract.ORDERS_MAP).set(id, confirmed.toJson().encode());
    IdempotencyKeys.Claim open = new IdempotencyKeys.Claim(id, OrderService.fingerprint(OrderRequest.parse(body), false),
        IdempotencyKeys.OPEN, now, 0, null);
    node.hazelcast().<String, String>getMap(OrderContract.IDEMPOTENCY_MAP).set(key, open.toJson());

    Response retried = api.send(api.client().post("/orders").putHeader("Idempotency-Key", key), "application/json",
        body.toBuffer());
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.json().getString("id")).isEqualTo(id);
    Eventually.until(SETTLE, "the order's email sent", () ->
        "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
    assertThat(emailsTo(customer)).hasSize(1);
    assertThat(api.get("/orders/" + id).json().getString("status")).isEqualTo("CONFIRMED");
  }

  @Test
  void aRepeatedSignUpHealsAUserWhoseWelcomeEventWasLost() {
    String address = unique("signup");
    long now = System.currentTimeMillis();
    JsonObject user = new JsonObject().put("email", address).put("name", "Ada").put("signedUpAt", now).put("welcomeAt", now);
    node.hazelcast().<String, String>getMap(UserContract.USERS_MAP).set(address, user.encode());

    Response again = api.post("/users", new JsonObject().put("email", address).put("name", "Ada"));
    assertThat(again.status()).as(again.body()).isBetween(200, 201);
    Eventually.until(SETTLE, "the welcome email sent", () -> emailsTo(address).size() == 1);
  }

  private static JsonArray emailsTo(String email) {
    return api.get("/emails?to=" + email).json().getJsonArray("emails");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
