package io.orderbus.gateway;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's two faces on one port: the operator API (stock writes, the sent mail, the cluster view, the
 * metrics, {@code /admin/*}) answers only with the admin token, {@code 401} without one and {@code 403} with a
 * wrong one; the public API (orders, sign-up, stock reads, health) answers anyone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorRoutesTest {
  private static final String TOKEN = "operator-" + UUID.randomUUID();
  @AutoClose
  private static TestNodes nodes;
  private static Api operator;
  private static Api anonymous;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(1);
    Node node = nodes.start(0, "gateway,order,inventory,email", "adminToken", TOKEN);
    operator = new Api(vertx, node.httpPort(), TOKEN);
    anonymous = operator.anonymous();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "PUT  | /inventory/operator-sku                | {\"available\":5} | 200",
      "GET  | /emails                                |                   | 200",
      "GET  | /emails?to=a@example.com&limit=1       |                   | 200",
      "GET  | /cluster                               |                   | 200",
      "GET  | /metrics                               |                   | 200",
      "GET  | /admin/pending                         |                   | 200",
      "GET  | /admin/dead-letters                    |                   | 200",
      "POST | /admin/dead-letters/no-such/replay     |                   | 404",
  })
  void anOperatorRouteAnswersOnlyTheAdminToken(String method, String path, String body, int served) {
    Response none = call(anonymous, method, path, body);
    assertThat(none.status()).as("without a token: %s", none.body()).isEqualTo(401);
    assertError(none, "UNAUTHORIZED");
    assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer");

    Response wrong = call(operator.withToken("not-" + TOKEN), method, path, body);
    assertThat(wrong.status()).as("with a wrong token: %s", wrong.body()).isEqualTo(403);
    assertError(wrong, "FORBIDDEN");

    Response right = call(operator, method, path, body);
    assertThat(right.status()).as("with the token: %s", right.body()).isEqualTo(served);
  }

  @Test
  void anotherSchemeOrAnEmptyTokenIsNoToken() {
    for (String header : new String[] {"Basic b3BlcmF0b3I6eA==", "Bearer", TOKEN}) {
      Response refused = anonymous.send(anonymous.client().get("/cluster").putHeader("Authorization", header), null, null);
      assertThat(refused.status()).as("Authorization: %s", header).isEqualTo(401);
      assertError(refused, "UNAUTHORIZED");
    }
  }

  @Test
  void theTokenIsAskedForBeforeTheBodyIsLookedAt() {
    Buffer tooLarge = Buffer.buffer("{\"available\":1,\"pad\":\"" + "x".repeat(GatewayVerticle.MAX_BODY_BYTES) + "\"}");
    assertError(anonymous.raw(HttpMethod.PUT, "/inventory/book", "text/plain", Buffer.buffer("5")), "UNAUTHORIZED");
    assertError(anonymous.raw(HttpMethod.PUT, "/inventory/book", "application/json", tooLarge), "UNAUTHORIZED");
    assertError(anonymous.raw(HttpMethod.PUT, "/inventory/book", "application/json", Buffer.buffer("{broken")),
        "UNAUTHORIZED");
    // With the token, the body's own faults, as before.
    assertError(operator.raw(HttpMethod.PUT, "/inventory/book", "text/plain", Buffer.buffer("5")), "UNSUPPORTED_MEDIA_TYPE");
    assertError(operator.raw(HttpMethod.PUT, "/inventory/book", "application/json", tooLarge), "PAYLOAD_TOO_LARGE");
    assertError(operator.raw(HttpMethod.PUT, "/inventory/book", "application/json", Buffer.buffer("{broken")),
        "MALFORMED_JSON");
  }

  @Test
  void anOperatorPathTellsAStrangerNothingOfItsMethods() {
    assertError(anonymous.raw(HttpMethod.DELETE, "/cluster", null, null), "UNAUTHORIZED");
    assertError(anonymous.raw(HttpMethod.POST, "/emails", "application/json", Buffer.buffer("{}")), "UNAUTHORIZED");
    assertError(anonymous.get("/admin/no-such-list"), "UNAUTHORIZED");
    assertError(operator.raw(HttpMethod.DELETE, "/cluster", null, null), "METHOD_NOT_ALLOWED");
  }

  @Test
  void thePublicRoutesAnswerWithoutAToken() {
    Response async = anonymous.post("/orders", Api.order("anyone@example.com", "book", 1));
    assertThat(async.status()).as(async.body()).isEqualTo(202);
    Response sync = anonymous.post("/orders?mode=sync", Api.order("anyone@example.com", "pen", 1));
    assertThat(sync.status()).as(sync.body()).isEqualTo(201);
    String id = sync.json().getString("id");
    assertThat(anonymous.get("/orders/" + id).status()).isEqualTo(200);
    // Settled (the sync answer is final and emailed): the stream gives the current state and ends.
    Response events = anonymous.get("/orders/" + id + "/events");
    assertThat(events.status()).isEqualTo(200);
    assertThat(events.body()).contains(id);
    Response user = anonymous.post("/users", new JsonObject().put("email", "anyone@example.com").put("name", "Any One"));
    assertThat(user.status()).as(user.body()).isEqualTo(201);
    assertThat(anonymous.get("/inventory/book").json().getInteger("available")).isNotNull();
    assertThat(anonymous.get("/health").status()).isEqualTo(200);
    assertThat(anonymous.get("/ready").status()).isEqualTo(200);
  }

  private static Response call(Api api, String method, String path, String body) {
    return api.raw(HttpMethod.valueOf(method), path, body == null ? null : "application/json",
        body == null ? null : Buffer.buffer(body));
  }

  private static void assertError(Response response, String code) {
    assertThat(response.json()).as("JSON error body of %s", response.body()).isNotNull();
    assertThat(response.json().getString("error")).as(response.body()).isEqualTo(code);
    assertThat(response.json().getString("message")).isNotBlank();
    assertThat(response.headers().get("Cache-Control")).isEqualTo("no-store");
  }
}
