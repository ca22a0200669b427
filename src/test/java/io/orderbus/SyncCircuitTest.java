package io.orderbus;

import io.orderbus.email.EmailContract;
import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync path's circuit breaker. The email service is a hung one (it takes requests and never
 * answers, the worst kind of down) until a real email node joins.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncCircuitTest {
  private static final int MAX_FAILURES = 2;
  private TestNodes nodes;
  private Node orderNode;
  private Api api;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(2);
    orderNode = nodes.start(0, "gateway,order,inventory", "requestTimeout", "PT0.5S",
        "circuitMaxFailures", MAX_FAILURES, "circuitResetTimeout", "PT2S");
    api = new Api(vertx, orderNode.httpPort());
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void afterRepeatedTimeoutsTheCircuitOpensFailsFastAndClosesOnceEmailIsBack() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    MessageConsumer<JsonObject> hung = orderNode.vertx().eventBus().consumer(EmailContract.SEND, m -> asked.incrementAndGet());
    hung.completion().await(10, TimeUnit.SECONDS);

    for (int i = 0; i < MAX_FAILURES; i++) {
      Response timedOut = api.post("/orders?mode=sync", Api.order(unique(), "book", 1));
      assertThat(timedOut.status()).isEqualTo(504);
      assertThat(timedOut.json().getString("service")).isEqualTo("email");
    }
    Response open = api.post("/orders?mode=sync", Api.order(unique(), "book", 1));
    assertThat(open.status()).isEqualTo(503);
    assertThat(open.json().getString("error")).isEqualTo("CIRCUIT_OPEN");
    assertThat(open.json().getString("service")).isEqualTo("email");
    assertThat(open.headers().get("Retry-After")).isEqualTo("2");
    assertThat(asked.get()).as("an open circuit does not ask the service").isEqualTo(MAX_FAILURES);
    // The async path does not go through the circuit: it is accepted as ever.
    assertThat(api.post("/orders", Api.order(unique(), "book", 1)).status()).isEqualTo(202);

    hung.unregister().await(10, TimeUnit.SECONDS);
    nodes.start(1, "email");
    Response created = Eventually.await(Duration.ofSeconds(30), "the circuit half-open and the order through", () -> {
      Response r = api.post("/orders?mode=sync", Api.order(unique(), "book", 1));
      return r.status() == 201 ? r : null;
    });
    assertThat(created.json().getString("emailStatus")).isEqualTo("SENT");
    assertThat(api.post("/orders?mode=sync", Api.order(unique(), "book", 1)).status()).as("closed again").isEqualTo(201);
  }

  @Test
  void outOfStockAnswersDoNotOpenTheCircuit() throws Exception {
    nodes.start(1, "email");
    api.put("/inventory/laptop", new JsonObject().put("available", 0));
    for (int i = 0; i < MAX_FAILURES + 2; i++) {
      assertThat(api.post("/orders?mode=sync", Api.order(unique(), "laptop", 1)).status()).isEqualTo(409);
    }
    assertThat(api.post("/orders?mode=sync", Api.order(unique(), "book", 1)).status()).isEqualTo(201);
  }

  private static String unique() {
    return "circuit-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
