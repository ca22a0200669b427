package io.orderbus.bench;

import io.orderbus.node.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;

/**
 * The order bodies a benchmark sends: one unit each of the next of {@code skus} SKUs in turn, so that the
 * orders spread over the SKUs and no single SKU's lock decides; and the stock of those SKUs, set first.
 * Names carry a run id, so that runs against one cluster do not share stock.
 */
final class SkuOrders {
  private final String prefix;
  private final int skus;
  private int next;

  SkuOrders(String prefix, int skus) {
    if (skus < 1) {
      throw new NodeConfig.InvalidConfigException("--skus must be at least 1: " + skus);
    }
    this.prefix = prefix;
    this.skus = skus;
  }

  /**
   * Sets each SKU's stock to {@code available} ({@code PUT /inventory/{sku}}) through {@code operator}, a client
   * that sends the admin token ({@link io.orderbus.gateway.OperatorClient}).
   */
  Future<Void> stock(WebClient operator, int available) {
    List<Future<Void>> puts = new ArrayList<>();
    for (int i = 0; i < skus; i++) {
      String path = "/inventory/" + sku(i);
      puts.add(operator.put(path).putHeader("Content-Type", "application/json")
          .sendJsonObject(new JsonObject().put("available", available))
          .compose(r -> r.statusCode() == 200 ? Future.<Void>succeededFuture()
              : Future.failedFuture("PUT " + path + ": " + r.statusCode() + " " + r.bodyAsString())));
    }
    return Future.all(puts).mapEmpty();
  }

  /** The next order's body. Not thread-safe: one load runs on one event loop. */
  JsonObject next() {
    int n = next++;
    return new JsonObject().put("customerEmail", prefix + "@example.com")
        .put("items", new JsonArray().add(new JsonObject().put("sku", sku(n % skus)).put("quantity", 1)));
  }

  private String sku(int i) {
    return prefix + "-" + i;
  }
}
