package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes the async path's promises true, shown on separate JVMs that are SIGKILLed: events wait for
 * a group that is down, survive the death of any single node, and are bounded; and the bare event bus,
 * for contrast, loses them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DurableDeliveryIT {
  private static final Duration SETTLE = Duration.ofSeconds(90);

  @Test
  void emailsWaitForTheEmailServiceAndArriveOnceEach(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(4)) {
      Api api = new Api(vertx, startThree(cluster));
      NodeProcess email = cluster.start(2, "email");
      email.kill();
      String customer = unique("durable");
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        Response r = api.post("/orders", Api.order(customer, "pen", 1));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        ids.add(r.json().getString("id"));
      }
      // Reading sent mail is a sync request to the email service: it fails while email is down.
      assertThat(api.get("/emails?to=" + customer).status()).isEqualTo(503);

      cluster.start(3, "email");
      Eventually.until(SETTLE, "100 emails", () -> emailsTo(api, customer).size() >= 100);
      JsonArray emails = emailsTo(api, customer);
      Set<String> emailed = new HashSet<>();
      emails.forEach(e -> emailed.add(((JsonObject) e).getString("orderId")));
      assertThat(emails).hasSize(100);
      assertThat(emailed).isEqualTo(ids);
    }
  }

  @Test
  void bareDeliveryLosesTheEmailsOfOrdersPlacedWhileEmailIsDown(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(4)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order", "--delivery", "bare");
      NodeProcess inventory = cluster.launch(1, "inventory", "--delivery", "bare");
      NodeProcess email = cluster.launch(2, "email", "--delivery", "bare");
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT));
      inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
      email.awaitReady(ProcessNodes.READY_TIMEOUT);
      assertThat(api.get("/cluster").json().getString("delivery")).isEqualTo("bare");
      email.kill();

      String whileDown = unique("bare-down");
      for (int i = 0; i < 20; i++) {
        assertThat(api.post("/orders", Api.order(whileDown, "pen", 1)).status()).isEqualTo(202);
      }
      cluster.start(3, "email", "--delivery", "bare");
      // An order placed now is emailed: the email service works, it just never heard of the others.
      String afterRestart = unique("bare-up");
      Eventually.until(SETTLE, "email of an order placed after restart", () -> {
        api.post("/orders", Api.order(afterRestart, "pen", 1));
        return !emailsTo(api, afterRestart).isEmpty();
      });
      assertThat(emailsTo(api, whileDown)).as("emails of orders placed while email was down").isEmpty();
    }
  }

  @Test
  void killingTheNodeOwningMostPendingEntriesLosesNothing(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(5)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order");
      NodeProcess inventory = cluster.launch(1, "inventory");
      NodeProcess email = cluster.launch(2, "email");
      NodeProcess spare = cluster.launch(3, "order,inventory");
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT));
      for (NodeProcess p : List.of(inventory, email, spare)) {
        p.awaitReady(ProcessNodes.READY_TIMEOUT);
      }
      String sku = "steady-" + UUID.randomUUID().toString().substring(0, 6);
      int initial = 40;
      api.put("/inventory/" + sku, new JsonObject().put("available", initial));
      // With email down, its group's entries pile up across the partition owners.
      email.kill();

      String customer = unique("stream");
      List<String> accepted = new ArrayList<>();
      NodeProcess victim = null;
      for (int i = 0; i < 60; i++) {
        // As a careful client does: a 5xx is retried with the same Idempotency-Key, so a request whose
        // order node died mid-way ends as one order, not none or two.
        String key = "k-" + i + "-" + customer;
        Response r = placeWithRetries(api, key, Api.order(customer, sku, 1));
        assertThat(r.status()).as(r.body()).isIn(202, 409);
        if (r.status() == 202) {
          accepted.add(r.json().getString("id"));
        }
        if (i == 30) {
          victim = mostPendingOwner(api, inventory, spare);
          victim.kill();
        }
      }
      assertThat(victim).isNotNull();
      cluster.start(4, "email");

      int confirmed = 0;
      Set<String> rejected = new HashSet<>();
      for (String id : accepted) {
        JsonObject order = Eventually.await(SETTLE, "order " + id + " settled and emailed", () -> {
          JsonObject o = api.get("/orders/" + id).json();
          return !"ACCEPTED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus")) ? o : null;
        });
        assertThat(order.getString("status")).isIn("CONFIRMED", "REJECTED");
        if (order.getString("status").equals("CONFIRMED")) {
          confirmed++;
        } else {
          rejected.add(id);
        }
      }
      // Every order was told it was received; a rejected one, also why.
      int mails = accepted.size() + rejected.size();
      Eventually.until(SETTLE, mails + " mails", () -> emailsTo(api, customer).size() == mails);
      JsonArray emails = emailsTo(api, customer);
      Set<String> received = new HashSet<>();
      Set<String> toldWhy = new HashSet<>();
      emails.forEach(e -> {
        JsonObject mail = (JsonObject) e;
        (mail.getString("key").startsWith("order-rejected:") ? toldWhy : received).add(mail.getString("orderId"));
      });
      assertThat(received).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(toldWhy).containsExactlyInAnyOrderElementsOf(rejected);
      assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isEqualTo(initial - confirmed);
    }
  }

  @Test
  void killingTheAcceptingGatewayRightAfterA202LosesNothing(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(4)) {
      NodeProcess first = cluster.launch(0, "gateway,order");
      NodeProcess second = cluster.launch(1, "gateway,order");
      NodeProcess inventory = cluster.launch(2, "inventory");
      NodeProcess email = cluster.launch(3, "email");
      Api accepting = new Api(vertx, first.awaitReady(ProcessNodes.READY_TIMEOUT));
      Api survivor = new Api(vertx, second.awaitReady(ProcessNodes.READY_TIMEOUT));
      inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
      email.awaitReady(ProcessNodes.READY_TIMEOUT);

      String customer = unique("failover");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Response r = accepting.post("/orders", Api.order(customer, "book", 1));
        assertThat(r.status()).isEqualTo(202);
        ids.add(r.json().getString("id"));
      }
      first.kill();
      long killedAt = System.nanoTime();
      for (String id : ids) {
        Eventually.until(SETTLE, "order " + id + " confirmed and emailed via the surviving gateway", () -> {
          JsonObject o = survivor.get("/orders/" + id).json();
          return o != null && "CONFIRMED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus"));
        });
      }
      long settledMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      System.out.println("failover: all orders of the killed gateway settled " + settledMs + " ms after the kill");
      assertThat(emailsTo(survivor, customer)).hasSize(10);
    }
  }

  @Test
  void theWelcomeEmailComesAfterTheDelayEvenIfTheAcceptingNodeDies(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(3)) {
      NodeProcess first = cluster.launch(0, "gateway,order", "--welcome-delay", "PT2S");
      NodeProcess second = cluster.launch(1, "gateway,order", "--welcome-delay", "PT2S");
      NodeProcess email = cluster.launch(2, "email");
      Api accepting = new Api(vertx, first.awaitReady(ProcessNodes.READY_TIMEOUT));
      Api survivor = new Api(vertx, second.awaitReady(ProcessNodes.READY_TIMEOUT));
      email.awaitReady(ProcessNodes.READY_TIMEOUT);

      String address = unique("welcome");
      Response signedUp = accepting.post("/users", new JsonObject().put("email", address).put("name", "Ada"));
      assertThat(signedUp.status()).isEqualTo(201);
      long signedUpAt = signedUp.json().getLong("signedUpAt");
      first.kill();

      JsonObject welcome = Eventually.await(SETTLE, "welcome email", () -> {
        JsonArray emails = emailsTo(survivor, address);
        return emails.isEmpty() ? null : emails.getJsonObject(0);
      });
      assertThat(welcome.getString("subject")).contains("Welcome");
      assertThat(welcome.getLong("sentAt") - signedUpAt).isGreaterThanOrEqualTo(2000);
      assertThat(emailsTo(survivor, address)).hasSize(1);
    }
  }

  @Test
  void pastTheBacklogBoundOrdersGet503AndAcceptedOnesAreAllDelivered(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(3)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order", "--max-backlog", "10");
      NodeProcess inventory = cluster.launch(1, "inventory", "--max-backlog", "10");
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT));
      inventory.awaitReady(ProcessNodes.READY_TIMEOUT);

      // No email member: the email group's backlog grows to its bound.
      String customer = unique("spike");
      List<String> accepted = new ArrayList<>();
      List<Response> refused = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        Response r = api.post("/orders", Api.order(customer, "pen", 1));
        if (r.status() == 202) {
          accepted.add(r.json().getString("id"));
        } else {
          refused.add(r);
        }
      }
      // One producer counts exactly what it answers for: the bound, no more, no less.
      assertThat(accepted).hasSize(10);
      assertThat(refused).hasSize(25 - accepted.size()).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().getString("error")).isEqualTo("BACKLOG_FULL");
        assertThat(r.headers().get("Retry-After")).matches("\\d+");
      });

      cluster.start(2, "email", "--max-backlog", "10");
      Eventually.until(SETTLE, "the accepted orders emailed", () -> emailsTo(api, customer).size() >= accepted.size());
      Set<String> emailed = new HashSet<>();
      emailsTo(api, customer).forEach(e -> emailed.add(((JsonObject) e).getString("orderId")));
      assertThat(emailed).containsExactlyInAnyOrderElementsOf(accepted);
      // Room again: orders are accepted once the backlog drained.
      Eventually.until(SETTLE, "orders accepted again", () ->
          api.post("/orders", Api.order(unique("after"), "pen", 1)).status() == 202);
    }
  }

  private static Response placeWithRetries(Api api, String idempotencyKey, JsonObject order) {
    Response r = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      r = api.send(api.client().post("/orders").putHeader("Idempotency-Key", idempotencyKey), "application/json",
          order.toBuffer());
      if (r.status() < 500) {
        return r;
      }
    }
    return r;
  }

  private static int startThree(ProcessNodes cluster) throws Exception {
    NodeProcess gateway = cluster.launch(0, "gateway,order");
    NodeProcess inventory = cluster.launch(1, "inventory");
    int port = gateway.awaitReady(ProcessNodes.READY_TIMEOUT);
    inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
    return port;
  }

  /** Of the candidates, the one whose partitions hold the most pending entries now. */
  private static NodeProcess mostPendingOwner(Api api, NodeProcess... candidates) {
    JsonArray nodes = api.get("/cluster").json().getJsonArray("nodes");
    NodeProcess best = null;
    long most = -1;
    for (NodeProcess candidate : candidates) {
      for (Object n : nodes) {
        JsonObject node = (JsonObject) n;
        if (node.getString("name").equals(candidate.name()) && node.getLong("pendingOwned") > most) {
          most = node.getLong("pendingOwned");
          best = candidate;
        }
      }
    }
    assertThat(most).as("pending entries owned by the victim").isGreaterThan(0);
    return best;
  }

  private static JsonArray emailsTo(Api api, String address) {
    return api.get("/emails?to=" + address).json().getJsonArray("emails");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
