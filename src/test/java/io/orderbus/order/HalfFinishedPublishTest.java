package io.orderbus.order;

import io.orderbus.events.Line;

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
 * by the client's retry, until the order or user is settled, and by the node itself when nobody retries. The half-finished state is written into the
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
    Order confirmed = new Order(id, customer, List.of(new Line("book", 1)),
        OrderMode.ASYNC, OrderStatus.CONFIRMED, null, EmailStatus.PENDING, now, List.of(new Order.TimelineEntry(OrderStatus.ACCEPTED.name(), "node0", now, "accepted")), null);
    node.hazelcast().<String, StoredOrder>getMap(OrderContract.ORDERS_MAP).set(id, new StoredOrder(confirmed));
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

  @Test
  void aPublishThatFailsHalfWayIsFinishedWithoutAnyRetry() {
    String customer = unique("unhealed");
    // A real half-way failure: the store refuses the email group's entry of the putAll, the inventory
    // group's entry is stored. The client does not retry.
    var pending = node.hazelcast().<String, Object>getMap(io.orderbus.messaging.MessagingContract.PENDING_MAP);
    RefuseEmailEntries.refusing = true;
    String interceptor = pending.addInterceptor(new RefuseEmailEntries());
    Response answer;
    try {
      answer = api.post("/orders", Api.order(customer, "book", 1));
    } finally {
      RefuseEmailEntries.refusing = false;
    }
    try {
      assertThat(answer.status()).as(answer.body()).isEqualTo(503);
      assertThat(answer.json().getString("error")).isEqualTo("PUBLISH_INCOMPLETE");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("GET /orders/([0-9a-f-]{36})")
          .matcher(answer.json().getString("message"));
      assertThat(m.find()).as(answer.body()).isTrue();
      String id = m.group(1);
      Eventually.until(SETTLE, "the order confirmed and its email sent, with no retry", () -> {
        JsonObject order = api.get("/orders/" + id).json();
        return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
      });
      assertThat(emailsTo(customer)).hasSize(1);
    } finally {
      pending.removeInterceptor(interceptor);
    }
  }

  /** Fails every put of an entry for the email group while {@link #refusing}: one partition of a putAll failing. */
  static final class RefuseEmailEntries implements com.hazelcast.map.MapInterceptor {
    static volatile boolean refusing;

    @Override
    public Object interceptGet(Object value) {
      return null;
    }

    @Override
    public void afterGet(Object value) {
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
      if (refusing && newValue instanceof io.orderbus.messaging.PendingEntry entry && entry.group.equals("email")) {
        throw new IllegalStateException("injected: the email group's partition refused the write");
      }
      return null;
    }

    @Override
    public void afterPut(Object value) {
    }

    @Override
    public Object interceptRemove(Object removedValue) {
      return null;
    }

    @Override
    public void afterRemove(Object value) {
    }
  }

  private static JsonArray emailsTo(String email) {
    return api.get("/emails?to=" + email).json().getJsonArray("emails");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
