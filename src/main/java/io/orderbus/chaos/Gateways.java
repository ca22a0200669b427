package io.orderbus.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's side of a chaos run: reads and settings through the gateways, with the admin token, each
 * call tried on one gateway and then the other. Blocking ({@code await}): for the command's own threads only,
 * never an event loop.
 */
final class Gateways implements AutoCloseable {
  private static final long CALL_TIMEOUT_MS = 5_000;

  private final WebClient client;
  private final List<Integer> ports;
  private final String adminToken;

  Gateways(Vertx vertx, List<Integer> ports, String adminToken) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2_000));
    this.ports = List.copyOf(ports);
    this.adminToken = adminToken;
  }

  /** {@code GET path} on gateway {@code port}: the JSON of a 200 answer, or null (another status, no answer). */
  JsonObject getOn(int port, String path) {
    try {
      HttpResponse<Buffer> response = call(client.get(port, "127.0.0.1", path), null);
      return response.statusCode() == 200 ? response.bodyAsJsonObject() : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** {@code GET path}, on the first gateway that answers 200; null if none does. */
  JsonObject get(String path) {
    for (int port : ports) {
      JsonObject json = getOn(port, path);
      if (json != null) {
        return json;
      }
    }
    return null;
  }

  /** {@code GET path} on the first gateway that answers at all: its status and JSON, or null if none answers. */
  HttpResponse<Buffer> getAny(String path) {
    for (int port : ports) {
      try {
        return call(client.get(port, "127.0.0.1", path), null);
      } catch (Exception e) {
        // The next gateway.
      }
    }
    return null;
  }

  /** {@code PUT path} with {@code body}; true once a gateway answered 200. */
  boolean put(String path, JsonObject body) {
    for (int port : ports) {
      try {
        if (call(client.put(port, "127.0.0.1", path), body).statusCode() == 200) {
          return true;
        }
      } catch (Exception e) {
        // The next gateway.
      }
    }
    return false;
  }

  List<Integer> ports() {
    return ports;
  }

  @Override
  public void close() {
    client.close();
  }

  private HttpResponse<Buffer> call(HttpRequest<Buffer> request, JsonObject body) throws Exception {
    request.timeout(CALL_TIMEOUT_MS).putHeader("Authorization", "Bearer " + adminToken);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.await(CALL_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
  }
}
