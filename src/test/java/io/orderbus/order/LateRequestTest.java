package io.orderbus.order;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A placement request that reaches the order service after the gateway stopped waiting (its node was paused
 * with the request queued, as in the chaos run where such a request placed a second order for a key whose
 * client had retried elsewhere) places nothing, and leaves its Idempotency-Key free for the retry.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LateRequestTest {
  private static TestNodes nodes;
  private static Node node;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(1);
    node = nodes.start(0, "gateway,order,inventory,email");
    api = new Api(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void aKeyedSyncRequestPastItsDeadlinePlacesNothingAndItsRetryPlacesTheOrder() throws Exception {
    String customer = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    JsonObject body = Api.order(customer, "book", 1);
    String key = UUID.randomUUID().toString();
    int stockBefore = api.get("/inventory/book").json().getInteger("available");

    ReplyException late = place(body, "sync", key, node.clusterTime() - 1);
    assertThat(late.failureCode()).as(late.getMessage()).isEqualTo(OrderContract.REQUEST_EXPIRED);
    assertThat(ordersOf(customer)).as("orders stored for the late request").isZero();
    assertThat(api.get("/inventory/book").json().getInteger("available")).as("stock").isEqualTo(stockBefore);

    Response retry = api.send(api.client().post("/orders?mode=sync").putHeader("Idempotency-Key", key),
        "application/json", body.toBuffer());
    assertThat(retry.status()).as("the retry under the same key: %s", retry.body()).isEqualTo(201);
    assertThat(ordersOf(customer)).as("orders for the request").isEqualTo(1);
  }

  @Test
  void anAsyncRequestPastItsDeadlinePlacesNothingAndOneInTimeIsPlaced() throws Exception {
    String customer = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    JsonObject body = Api.order(customer, "book", 1);

    ReplyException late = place(body, "async", null, node.clusterTime() - 1);
    assertThat(late.failureCode()).as(late.getMessage()).isEqualTo(OrderContract.REQUEST_EXPIRED);
    assertThat(ordersOf(customer)).as("orders stored for the late request").isZero();

    JsonObject placed = node.vertx().eventBus().<JsonObject>request(OrderContract.PLACE, new JsonObject().put("body", body)
        .put("mode", "async").put("deadline", node.clusterTime() + 10_000)).await(30, TimeUnit.SECONDS).body();
    assertThat(placed.getString("status")).isEqualTo("ACCEPTED");
    assertThat(ordersOf(customer)).isEqualTo(1);
  }

  private static ReplyException place(JsonObject body, String mode, String key, long deadline) {
    JsonObject request = new JsonObject().put("body", body).put("mode", mode).put("idempotencyKey", key)
        .put("deadline", deadline);
    Throwable failure = catchThrowable(() -> node.vertx().eventBus().request(OrderContract.PLACE, request)
        .await(30, TimeUnit.SECONDS));
    assertThat(failure).as("the late request's answer").isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  private static long ordersOf(String customer) {
    return node.hazelcast().<String, StoredOrder>getMap(OrderContract.ORDERS_MAP).values().stream()
        .filter(stored -> customer.equals(stored.order().customerEmail())).count();
  }
}
