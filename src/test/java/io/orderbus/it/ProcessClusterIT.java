package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three separate JVMs of the built jar (gateway+order, inventory, email), the layout of the main job.
 * The last test SIGKILLs the email process: sync checkout fails fast, async keeps accepting, and the
 * accepted order's email arrives once email is back.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessClusterIT {
  private static final Duration SETTLE = Duration.ofSeconds(40);
  private static ProcessNodes cluster;
  private static NodeProcess email;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    cluster = new ProcessNodes(4);
    NodeProcess gateway = cluster.launch(0, "gateway,order");
    NodeProcess inventory = cluster.launch(1, "inventory");
    email = cluster.launch(2, "email");
    int port = gateway.awaitReady(ProcessNodes.READY_TIMEOUT);
    inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
    email.awaitReady(ProcessNodes.READY_TIMEOUT);
    api = new Api(vertx, port);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  @Order(1)
  void asyncOrderEndsConfirmedWithOneEmail() {
    String customer = unique();
    Response accepted = api.post("/orders", Api.order(customer, "book", 1));
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().getString("id");
    assertThat(api.get("/orders/" + id).status()).isEqualTo(200);
    Eventually.until(SETTLE, "CONFIRMED with email sent", () -> {
      JsonObject order = api.get("/orders/" + id).json();
      return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
    });
    assertThat(api.get("/emails?to=" + customer).json().getJsonArray("emails")).hasSize(1);
  }

  @Test
  @Order(2)
  void syncOrderReturns201() {
    Response created = api.post("/orders?mode=sync", Api.order(unique(), "pen", 2));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("status")).isEqualTo("CONFIRMED");
  }

  @Test
  @Order(3)
  void outOfStockIs409OnBothPaths() {
    String sku = "it-oos-" + UUID.randomUUID().toString().substring(0, 6);
    assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 2)).status()).isEqualTo(200);
    Response async = api.post("/orders", Api.order(unique(), sku, 3));
    assertThat(async.status()).isEqualTo(409);
    assertThat(async.json().getString("error")).isEqualTo("OUT_OF_STOCK");
    Response sync = api.post("/orders?mode=sync", Api.order(unique(), sku, 3));
    assertThat(sync.status()).isEqualTo(409);
    assertThat(sync.json().getString("error")).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  @Order(4)
  void withEmailKilledSyncFailsWithinTheTimeoutWhileAsyncIsAccepted() throws Exception {
    email.kill();
    long started = System.nanoTime();
    Response sync = api.post("/orders?mode=sync", Api.order(unique(), "mug", 1));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(sync.status()).isIn(503, 504);
    assertThat(sync.json().getString("service")).isEqualTo("email");
    // Configured request timeout is 2 s; allow for a loaded machine, not for a second timeout.
    assertThat(elapsedMs).isLessThan(4000);

    String customer = unique();
    Response async = api.post("/orders", Api.order(customer, "mug", 1));
    assertThat(async.status()).isEqualTo(202);
    String id = async.json().getString("id");

    // Durable delivery: the email waits for the email service to come back.
    NodeProcess again = cluster.start(3, "email");
    assertThat(again.isAlive()).isTrue();
    Eventually.until(SETTLE, "email after restart", () ->
        api.get("/emails?to=" + customer).json().getJsonArray("emails").size() == 1);
    Eventually.until(SETTLE, "order shows the email sent", () ->
        "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
  }

  private static String unique() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
