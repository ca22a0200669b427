package io.orderbus.gateway;

import io.orderbus.node.Node;
import io.orderbus.order.OrderContract;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.EventStream;
import io.orderbus.support.Eventually;
import io.orderbus.support.StreamCap;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AutoClose;
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
 * {@code GET /dashboard/events} on one node with every role and its own admin token: operator data (401 without
 * the token, 403 with a wrong one), outbound only (other methods 405, other paths 404), at most
 * {@link DashboardStreams#MAX_STREAMS} at once, and fed by order changes only while a dashboard is open. The page
 * itself is public and carries a strict Content-Security-Policy.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardStreamsTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String TOKEN = "dashboard-" + UUID.randomUUID();
  private static final Map<String, String> OPERATOR = Map.of("Authorization", "Bearer " + TOKEN);
  @AutoClose
  private static TestNodes nodes;
  private static Node node;
  private static Api operator;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(1);
    node = nodes.start(0, "gateway,order,inventory,email", "adminToken", TOKEN);
    operator = new Api(vertx, node.httpPort(), TOKEN);
  }

  @Test
  void theEventsNeedTheTokenAndTakeNothingIn(Vertx vertx) throws Exception {
    Response none = operator.anonymous().get(DashboardRoutes.EVENTS);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(operator.withToken("wrong").get(DashboardRoutes.EVENTS).status()).isEqualTo(403);
    for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
      Response inbound = operator.raw(method, DashboardRoutes.EVENTS, "application/json", new JsonObject().toBuffer());
      assertThat(inbound.status()).as("%s with the token", method).isEqualTo(405);
      assertThat(inbound.json().getString("error")).isEqualTo("METHOD_NOT_ALLOWED");
    }
    assertThat(operator.get("/dashboard/send").status()).isEqualTo(404);
    assertThat(operator.get("/dashboard/eventbus/info").status()).isEqualTo(404);

    EventStream stream = EventStream.open(vertx, node.httpPort(), DashboardRoutes.EVENTS, null, OPERATOR);
    try {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      Eventually.until(SETTLE, "a cluster event", () -> !stream.events("cluster").isEmpty());
      JsonObject view = stream.events("cluster").get(0).data();
      assertThat(view.getJsonArray("nodes").getJsonObject(0).getJsonArray("roles")).contains("gateway", "email");
      assertThat(view.getJsonObject("groups").fieldNames()).contains("email", "inventory", "order");
      assertThat(view.getJsonObject("groups").getJsonObject("email").fieldNames())
          .contains("pending", "inFlight", "deadLetters", "oldestPendingAgeMs", "members");
    } finally {
      stream.close();
    }
  }

  @Test
  void thePageIsPublicWithItsOwnScriptsOnly() {
    Response page = operator.anonymous().get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("Content-Type")).startsWith("text/html");
    assertThat(page.headers().get("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
        "connect-src 'self'").doesNotContain("unsafe");
    assertThat(page.headers().get("Cache-Control")).isEqualTo("no-store");
    assertThat(page.body()).contains("/dashboard/dashboard.js").doesNotContain("<script>");
    assertThat(operator.anonymous().get("/dashboard/vendor/uplot/uPlot.iife.min.js").status()).isEqualTo(200);
    Response range = operator.anonymous().send(operator.anonymous().client().get("/dashboard/dashboard.js")
        .putHeader("Range", "bytes=9999999-"), null, null);
    assertThat(range.status()).as("a range is ignored, never a 416 outside the JSON errors").isEqualTo(200);
    assertThat(operator.anonymous().get("/dashboard/vendor/").status()).as("no directory listing").isEqualTo(404);
  }

  @Test
  void pastTheCapAStreamIs503UntilOneCloses(Vertx vertx) {
    StreamCap.check(vertx, operator, DashboardRoutes.EVENTS, OPERATOR, DashboardStreams.MAX_STREAMS, SETTLE, over ->
        assertThat(over.json().getString("message")).contains("dashboard"));
  }

  @Test
  void orderChangesAreHeardOnlyWhileADashboardIsOpen(Vertx vertx) throws Exception {
    Response first = operator.post("/orders", Api.order("dash-" + UUID.randomUUID() + "@example.com", "pen", 1));
    assertThat(first.status()).isEqualTo(202);
    Eventually.until(SETTLE, "nobody listens to order changes", () -> noListener(first.body()));

    EventStream stream = open(vertx);
    try {
      assertThat(stream.status()).isEqualTo(200);
      Eventually.until(SETTLE, "the dashboard listens", () -> !noListener(first.body()));
      Response placed = operator.post("/orders", Api.order("dash-" + UUID.randomUUID() + "@example.com", "pen", 1));
      String id = placed.json().getString("id");
      Eventually.until(SETTLE, "the order confirmed on the dashboard", () -> stream.events("orders").stream()
          .flatMap(e -> e.data().getJsonArray("orders").stream()).map(JsonObject.class::cast)
          .anyMatch(o -> id.equals(o.getString("id")) && "CONFIRMED".equals(o.getString("status"))));
      JsonObject shown = stream.events("orders").stream().flatMap(e -> e.data().getJsonArray("orders").stream())
          .map(JsonObject.class::cast).filter(o -> id.equals(o.getString("id"))).reduce((a, b) -> b).orElseThrow();
      assertThat(shown.getString("mode")).isEqualTo("async");
      assertThat(shown.getInteger("steps")).isPositive();
      assertThat(shown.containsKey("customerEmail")).as("no personal data on the dashboard feed").isFalse();
    } finally {
      stream.close();
    }
    Eventually.until(SETTLE, "nobody listens once the dashboard closed", () -> noListener(first.body()));
  }

  /** Whether a request to the order-change address finds no consumer anywhere in the cluster. */
  private static boolean noListener(String order) {
    try {
      node.vertx().eventBus().request(OrderContract.STATUS, order, new DeliveryOptions().setSendTimeout(500))
          .await(5, TimeUnit.SECONDS);
      return false;
    } catch (ReplyException e) {
      return e.failureType() == ReplyFailure.NO_HANDLERS;
    } catch (Exception e) {
      return false;
    }
  }

  /** A stream of the events with the token, closed at once unless it opened (200). */
  private static EventStream open(Vertx vertx) {
    try {
      EventStream stream = EventStream.open(vertx, node.httpPort(), DashboardRoutes.EVENTS, null, OPERATOR);
      if (stream.status() != 200) {
        stream.close();
      }
      return stream;
    } catch (Exception e) {
      throw new IllegalStateException("no answer to " + DashboardRoutes.EVENTS, e);
    }
  }
}
