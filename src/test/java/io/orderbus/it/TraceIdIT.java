package io.orderbus.it;

import io.orderbus.messaging.TraceId;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One id across every hop, on three separate JVMs of the built jar (gateway+order, inventory, email) with hop lines
 * at INFO ({@code --hop-log info}): the id a client gives (or the gateway makes) is answered in the response, is in
 * the order, and is on the line of every step of the order in the log of every process it passed through.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TraceIdIT {
  private static final Duration SETTLE = Duration.ofSeconds(40);
  private static ProcessNodes cluster;
  private static NodeProcess gateway;
  private static NodeProcess inventory;
  private static NodeProcess email;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    cluster = new ProcessNodes(3);
    ProcessNodes.Layout layout = cluster.startLayout("--hop-log", "info");
    gateway = layout.gateway();
    inventory = layout.inventory();
    email = layout.email();
    api = new Api(vertx, layout.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    // Kills every JVM by its pid, also after a failed test.
    cluster.close();
  }

  @Test
  void aRequestIdIsAnsweredKeptInTheOrderAndLoggedByEveryProcessItPasses() {
    String requestId = "it-" + UUID.randomUUID();
    Response accepted = placeOrder("", Map.of("X-Request-Id", requestId));

    assertThat(accepted.headers().get("traceparent")).as("none was given").isNull();
    String id = followedEverywhere(accepted, requestId);
    awaitHop(gateway, requestId, id, "stored, OrderCreated published");
  }

  @Test
  void aTraceparentGivesItsTraceIdWhichWinsOverARequestId() {
    String traceId = TraceId.fresh();
    String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
    Response accepted = placeOrder("", Map.of("traceparent", traceparent, "X-Request-Id", "not-this-one"));

    assertThat(accepted.headers().get("traceparent")).isEqualTo(traceparent);
    followedEverywhere(accepted, traceId);
  }

  @Test
  void theSyncPathCarriesTheIdOnItsRequestsToInventoryAndEmail() {
    String requestId = "it-sync-" + UUID.randomUUID();
    Response created = placeOrder("?mode=sync", Map.of("X-Request-Id", requestId));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.headers().get("X-Request-Id")).isEqualTo(requestId);
    String id = created.json().getString("id");
    assertThat(created.json().getString("traceId")).isEqualTo(requestId);
    awaitHop(inventory, requestId, id, "stock reserved");
    awaitHop(email, requestId, id, "email sent");
    awaitHop(gateway, requestId, id, "EmailSent (sync), now CONFIRMED");
    awaitHop(gateway, requestId, id, "answered 201");
  }

  @Test
  void aRequestIdThatCouldInjectIsReplacedAndNeverRepeated() {
    String bad = "evil id [trace=forged] <script>";
    Response accepted = placeOrder("", Map.of("X-Request-Id", bad, "traceparent", "00-not-a-traceparent"));

    String fresh = accepted.headers().get("X-Request-Id");
    assertThat(fresh).matches("[0-9a-f]{32}");
    assertThat(accepted.headers().get("traceparent")).isNull();
    assertThat(accepted.body()).doesNotContain("evil");
    followedEverywhere(accepted, fresh);
    for (NodeProcess process : List.of(gateway, inventory, email)) {
      assertThat(process.output()).as(process.name()).noneMatch(line -> line.contains("evil") || line.contains("forged"));
    }
  }

  private static Response placeOrder(String query, Map<String, String> headers) {
    var request = api.client().post("/orders" + query);
    headers.forEach(request::putHeader);
    return api.send(request, "application/json", Api.order(UUID.randomUUID() + "@example.com", "book", 1).toBuffer());
  }

  /**
   * Checks that an async order answered with {@code trace} went by it everywhere: the answer's {@code X-Request-Id},
   * the order, and the hop lines of the gateway, inventory and email processes. The order's id.
   */
  private static String followedEverywhere(Response accepted, String trace) {
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.headers().get("X-Request-Id")).isEqualTo(trace);
    String id = accepted.json().getString("id");
    assertThat(settled(id).getString("traceId")).isEqualTo(trace);
    awaitHop(gateway, trace, id, "answered 202");
    awaitHop(inventory, trace, id, "stock reserved");
    awaitHop(email, trace, id, "email sent");
    awaitHop(gateway, trace, id, "StockReserved, now CONFIRMED");
    return id;
  }

  /** The order once it is CONFIRMED and its email SENT. */
  private static JsonObject settled(String id) {
    Eventually.until(SETTLE, "order " + id + " CONFIRMED with email sent", () -> {
      JsonObject order = api.get("/orders/" + id).json();
      return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
    });
    return api.get("/orders/" + id).json();
  }

  /** Waits for the hop line of {@code step} of order {@code id}, tagged with {@code trace}, in {@code process}'s log. */
  private static void awaitHop(NodeProcess process, String trace, String id, String step) {
    process.awaitLine("INFO io.orderbus.hops: [trace=" + trace + "] order " + id + ": " + step, SETTLE);
  }
}
