package io.orderbus.support;

import io.orderbus.gateway.OperatorClient;
import io.orderbus.node.NodeConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeUnit;

/**
 * A gateway's REST API as a test calls it: one request at a time, awaited on the test thread. Every request sent
 * through {@link #get}, {@link #post}, {@link #put} and {@link #raw} carries the admin token (the operator routes
 * need it, the public ones ignore it); {@link #anonymous()} sends the same without it.
 */
public final class Api {
  /** The admin token a node has unless told otherwise, as the in-process test nodes are. */
  public static final String DEFAULT_ADMIN_TOKEN = NodeConfig.defaultsOnly().settings().security().adminToken();

  /** A response; {@code json} is null when the body is not a JSON object. */
  public record Response(int status, JsonObject json, String body, MultiMap headers) {
  }

  private final WebClient client;
  private final WebClient sender;
  private final int port;

  /** The API of a gateway with the default admin token. */
  public Api(Vertx vertx, int port) {
    this(vertx, port, DEFAULT_ADMIN_TOKEN);
  }

  /** The API of a gateway started with {@code adminToken}. */
  public Api(Vertx vertx, int port, String adminToken) {
    this(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)), port,
        adminToken);
  }

  private Api(WebClient client, int port, String adminToken) {
    this.client = client;
    this.sender = adminToken == null ? client : OperatorClient.of(client, adminToken);
    this.port = port;
  }

  /** The same gateway as anyone reaches it: the same requests, without a token. */
  public Api anonymous() {
    return new Api(client, port, null);
  }

  /** The same gateway with another token (a wrong one, to see it refused). */
  public Api withToken(String adminToken) {
    return new Api(client, port, adminToken);
  }

  public int port() {
    return port;
  }

  /** The bare client: its requests carry no token unless the caller adds one. */
  public WebClient client() {
    return client;
  }

  public Response get(String path) {
    return raw(HttpMethod.GET, path, null, null);
  }

  public Response post(String path, JsonObject body) {
    return raw(HttpMethod.POST, path, "application/json", body.toBuffer());
  }

  public Response put(String path, JsonObject body) {
    return raw(HttpMethod.PUT, path, "application/json", body.toBuffer());
  }

  public Response raw(HttpMethod method, String path, String contentType, Buffer body) {
    return send(sender.request(method, path), contentType, body);
  }

  public Response send(HttpRequest<Buffer> request, String contentType, Buffer body) {
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    try {
      HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(body)).await(30, TimeUnit.SECONDS);
      return toResponse(response);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from the gateway within 30 s", e);
    }
  }

  public static Response toResponse(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    JsonObject json = null;
    if (text != null) {
      try {
        Object parsed = Json.decodeValue(text);
        json = parsed instanceof JsonObject o ? o : null;
      } catch (RuntimeException ignored) {
        // Not JSON: the test looks at the text.
      }
    }
    return new Response(response.statusCode(), json, text, response.headers());
  }

  /**
   * Places an async order of one book and waits until inventory confirmed it; its email stays pending for as
   * long as no email node runs, so it is not settled. Its id.
   */
  public String confirmedAwaitingEmail(java.time.Duration settle) {
    Response accepted = post("/orders", order("watch-" + java.util.UUID.randomUUID() + "@example.com", "book", 1));
    org.assertj.core.api.Assertions.assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().getString("id");
    Eventually.until(settle, "order confirmed", () -> "CONFIRMED".equals(get("/orders/" + id).json().getString("status")));
    org.assertj.core.api.Assertions.assertThat(get("/orders/" + id).json().getString("emailStatus")).isEqualTo("PENDING");
    return id;
  }

  /** An order body: {@code order("a@b.co", "book", 1, "pen", 2)}. */
  public static JsonObject order(String email, Object... skuQuantity) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < skuQuantity.length; i += 2) {
      items.add(new JsonObject().put("sku", skuQuantity[i]).put("quantity", skuQuantity[i + 1]));
    }
    return new JsonObject().put("customerEmail", email).put("items", items);
  }
}
