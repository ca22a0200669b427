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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input gets a 4xx with a code and a message, never a 500 or a stack trace. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayBadInputTest {
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(1);
    Node node = nodes.start(0, "gateway,order,inventory,email");
    api = new Api(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON            | {\"customerEmail\":                                                | 400 | MALFORMED_JSON",
      "array, not object         | [1,2]                                                               | 400 | INVALID_REQUEST",
      "empty object              | {}                                                                  | 400 | MISSING_FIELD",
      "missing items             | {\"customerEmail\":\"a@b.co\"}                                      | 400 | MISSING_FIELD",
      "email of wrong type       | {\"customerEmail\":42,\"items\":[{\"sku\":\"book\",\"quantity\":1}]} | 400 | INVALID_REQUEST",
      "items of wrong type       | {\"customerEmail\":\"a@b.co\",\"items\":\"book\"}                  | 400 | INVALID_REQUEST",
      "empty items               | {\"customerEmail\":\"a@b.co\",\"items\":[]}                         | 400 | EMPTY_ITEMS",
      "quantity zero             | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":0}]}   | 400 | INVALID_QUANTITY",
      "quantity negative         | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":-3}]}  | 400 | INVALID_QUANTITY",
      "quantity as text          | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":\"2\"}]} | 400 | INVALID_REQUEST",
      "quantity fractional       | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":1.5}]} | 400 | INVALID_REQUEST",
      "missing sku               | {\"customerEmail\":\"a@b.co\",\"items\":[{\"quantity\":1}]}         | 400 | MISSING_FIELD",
      "unknown sku               | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"no-such\",\"quantity\":1}]} | 422 | UNKNOWN_SKU",
  })
  void badOrderBodiesAreRefusedWithACode(String what, String body, int status, String code) {
    Response response = api.raw(HttpMethod.POST, "/orders", "application/json", Buffer.buffer(body));
    assertThat(response.status()).as(what).isEqualTo(status);
    assertError(response, code);
  }

  @Test
  void unknownModeIsRefused() {
    Response response = api.post("/orders?mode=later", Api.order("a@b.co", "book", 1));
    assertThat(response.status()).isEqualTo(400);
    assertError(response, "UNKNOWN_MODE");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"customerEmail\":\"a@b.co\",\"pad\":\"" + "x".repeat(GatewayVerticle.MAX_BODY_BYTES) + "\"}";
    Response response = api.raw(HttpMethod.POST, "/orders", "application/json", Buffer.buffer(big));
    assertThat(response.status()).isEqualTo(413);
    assertError(response, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void wrongContentTypeIs415() {
    Response response = api.raw(HttpMethod.POST, "/orders", "text/plain", Buffer.buffer("customerEmail=a@b.co"));
    assertThat(response.status()).isEqualTo(415);
    assertError(response, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() {
    Response missing = api.get("/nothing/here");
    assertThat(missing.status()).isEqualTo(404);
    assertError(missing, "NOT_FOUND");
    Response method = api.raw(HttpMethod.DELETE, "/orders/abc", null, null);
    assertThat(method.status()).isEqualTo(405);
    assertError(method, "METHOD_NOT_ALLOWED");
  }

  @Test
  void unknownOrderAndSkuAre404() {
    assertError(api.get("/orders/does-not-exist"), "ORDER_NOT_FOUND");
    assertThat(api.get("/orders/does-not-exist").status()).isEqualTo(404);
    Response sku = api.get("/inventory/no-such-sku");
    assertThat(sku.status()).isEqualTo(404);
    assertError(sku, "UNKNOWN_SKU");
  }

  @Test
  void badStockUpdatesAreRefused() {
    assertThat(api.put("/inventory/book", new JsonObject().put("available", -1)).status()).isEqualTo(400);
    assertThat(api.put("/inventory/book", new JsonObject().put("available", "ten")).status()).isEqualTo(400);
    assertThat(api.put("/inventory/book", new JsonObject()).status()).isEqualTo(400);
    assertThat(api.put("/inventory/bad%20sku", new JsonObject().put("available", 1)).status()).isEqualTo(400);
    assertThat(api.get("/inventory/book").json().getInteger("available")).isGreaterThan(0);
  }

  @Test
  void badSignUpsAreRefused() {
    Response missing = api.post("/users", new JsonObject().put("email", "x@y.io"));
    assertThat(missing.status()).isEqualTo(400);
    assertError(missing, "MISSING_FIELD");
    Response invalid = api.post("/users", new JsonObject().put("email", "not-an-address").put("name", "X"));
    assertThat(invalid.status()).isEqualTo(400);
    assertError(invalid, "INVALID_REQUEST");
  }

  @Test
  void badInputLosesNothingAlreadyAccepted() {
    Response accepted = api.post("/orders", Api.order("keep@example.com", "book", 1));
    assertThat(accepted.status()).isEqualTo(202);
    api.raw(HttpMethod.POST, "/orders", "application/json", Buffer.buffer("{broken"));
    api.raw(HttpMethod.POST, "/orders", "application/json", Buffer.buffer("x".repeat(100_000)));
    Response again = api.get("/orders/" + accepted.json().getString("id"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getString("customerEmail")).isEqualTo("keep@example.com");
  }

  /** Keys outside the rule, and the code each is refused with. */
  static List<org.junit.jupiter.params.provider.Arguments> keysOutsideTheRule() {
    String rule = "INVALID_IDEMPOTENCY_KEY";
    return List.of(
        org.junit.jupiter.params.provider.Arguments.of("empty", "", rule),
        org.junit.jupiter.params.provider.Arguments.of("a space inside", "a b", rule),
        org.junit.jupiter.params.provider.Arguments.of("256 characters", "k".repeat(256), rule),
        org.junit.jupiter.params.provider.Arguments.of("a tab inside", "a\tb", rule),
        org.junit.jupiter.params.provider.Arguments.of("not ASCII (a byte of ISO-8859-1)", "caf\u00e9", rule),
        // HTTP's own parser refuses this control byte in any header, before a route sees it.
        org.junit.jupiter.params.provider.Arguments.of("DEL", "a\u007fb", "BAD_REQUEST"));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("keysOutsideTheRule")
  void anIdempotencyKeyOutsideVisibleAsciiIs400(String what, String key, String code) throws Exception {
    String customer = "key-" + java.util.UUID.randomUUID() + "@example.com";
    io.orderbus.support.RawHttp.Reply reply = placeWithKeys(customer, "Idempotency-Key: " + key);
    assertThat(reply.status()).as(what).isEqualTo(400);
    assertThat(reply.body()).contains("\"error\":\"" + code + "\"");
  }

  @Test
  void twoIdempotencyKeysAre400() throws Exception {
    io.orderbus.support.RawHttp.Reply reply = placeWithKeys("two-keys@example.com", "Idempotency-Key: a",
        "Idempotency-Key: b");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).contains("\"error\":\"INVALID_IDEMPOTENCY_KEY\"");
  }

  @Test
  void anIdempotencyKeyOfUpTo255VisibleCharactersStandsForItsRequest() throws Exception {
    String visible = "~!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}";
    String key = visible + "k".repeat(255 - visible.length());
    String customer = "key-" + java.util.UUID.randomUUID() + "@example.com";
    io.orderbus.support.RawHttp.Reply first = placeWithKeys(customer, "Idempotency-Key: " + key);
    io.orderbus.support.RawHttp.Reply again = placeWithKeys(customer, "Idempotency-Key: " + key);
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(new JsonObject(first.body()).getString("id"));
  }

  @Test
  void answersWithPersonalDataAreNotStoredOrSniffed() {
    String customer = "private-" + java.util.UUID.randomUUID() + "@example.com";
    Response placed = api.post("/orders", Api.order(customer, "book", 1));
    Response user = api.post("/users", new JsonObject().put("email", customer).put("name", "Private Person"));
    List<Response> answers = List.of(placed, api.get("/orders/" + placed.json().getString("id")), user,
        api.get("/emails?to=" + customer), api.get("/orders/does-not-exist"));
    for (Response answer : answers) {
      assertThat(answer.headers().get("Cache-Control")).as(answer.body()).isEqualTo("no-store");
      assertThat(answer.headers().get("X-Content-Type-Options")).as(answer.body()).isEqualTo("nosniff");
    }
  }

  @Test
  void listsArePagedWithATokenAndRefuseOneTheyDidNotWrite() {
    String customer = "paged-" + java.util.UUID.randomUUID() + "@example.com";
    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/orders", Api.order(customer, "pen", 1)).status()).isEqualTo(202);
    }
    io.orderbus.support.Eventually.until(java.time.Duration.ofSeconds(30), "three mails to " + customer,
        () -> api.get("/emails?to=" + customer).json().getJsonArray("emails").size() == 3);
    List<String> keys = new java.util.ArrayList<>();
    String after = null;
    do {
      Response page = api.get("/emails?limit=2&to=" + customer + (after == null ? "" : "&after=" + after));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().getJsonArray("emails").size()).isLessThanOrEqualTo(2);
      page.json().getJsonArray("emails").forEach(e -> keys.add(((JsonObject) e).getString("key")));
      after = page.json().getString("next");
    } while (after != null && keys.size() < 10);
    assertThat(keys).hasSize(3).doesNotHaveDuplicates();
    assertError(api.get("/emails?after=made-up"), "INVALID_REQUEST");
    assertError(api.get("/emails?limit=0"), "INVALID_REQUEST");
    assertError(api.get("/emails?to=a,b@example.com"), "INVALID_REQUEST");
  }

  /** POST /orders over a raw socket, so that header bytes no HTTP client would send get through as they are. */
  private static io.orderbus.support.RawHttp.Reply placeWithKeys(String customer, String... keyHeaders) throws Exception {
    String[] headers = new String[keyHeaders.length + 1];
    headers[0] = "Content-Type: application/json";
    System.arraycopy(keyHeaders, 0, headers, 1, keyHeaders.length);
    return io.orderbus.support.RawHttp.exchange(api.port(), io.orderbus.support.RawHttp.request("POST", "/orders",
        Api.order(customer, "book", 1).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8), headers),
        java.time.Duration.ofSeconds(30));
  }

  private static void assertError(Response response, String code) {
    assertThat(response.json()).as("JSON error body of %s", response.body()).isNotNull();
    assertThat(response.json().getString("error")).isEqualTo(code);
    assertThat(response.json().getString("message")).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
