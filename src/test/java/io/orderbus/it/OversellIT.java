package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

/** Concurrent orders for a small stock, reserved by two inventory JVMs: exactly the stock is sold. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OversellIT {
  private static final int STOCK = 7;
  private static final int ORDERS = 40;

  @Test
  void concurrentOrdersConfirmExactlyTheStock(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(3)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order");
      NodeProcess first = cluster.launch(1, "inventory,email");
      NodeProcess second = cluster.launch(2, "inventory");
      int port = gateway.awaitReady(ProcessNodes.READY_TIMEOUT);
      first.awaitReady(ProcessNodes.READY_TIMEOUT);
      second.awaitReady(ProcessNodes.READY_TIMEOUT);
      Api api = new Api(vertx, port);
      assertThat(api.get("/cluster").json().getJsonObject("groups").getJsonObject("inventory").getJsonArray("members"))
          .as("two inventory members compete for the stock").hasSize(2);
      String sku = "few-" + UUID.randomUUID().toString().substring(0, 6);
      assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", STOCK)).status()).isEqualTo(200);

      // Half async, half sync, all in flight at once.
      List<Future<Api.Response>> sent = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        String path = i % 2 == 0 ? "/orders" : "/orders?mode=sync";
        sent.add(api.client().post(path).putHeader("Content-Type", "application/json")
            .sendBuffer(Api.order("buyer" + i + "@example.com", sku, 1).toBuffer()).map(Api::toResponse));
      }
      Future.join(sent).await(120, TimeUnit.SECONDS);
      List<String> ids = new ArrayList<>();
      int refusedAtOnce = 0;
      for (Future<Api.Response> f : sent) {
        Api.Response r = f.result();
        assertThat(r.status()).as(r.body()).isIn(201, 202, 409);
        if (r.status() == 409) {
          refusedAtOnce++;
        } else {
          ids.add(r.json().getString("id"));
        }
      }
      Set<String> reservedBy = new HashSet<>();
      int confirmed = 0;
      for (String id : ids) {
        JsonObject order = Eventually.await(Duration.ofSeconds(60), "order " + id + " decided", () -> {
          JsonObject o = api.get("/orders/" + id).json();
          return "ACCEPTED".equals(o.getString("status")) ? null : o;
        });
        if ("CONFIRMED".equals(order.getString("status"))) {
          confirmed++;
          order.getJsonArray("timeline").stream().map(JsonObject.class::cast)
              .filter(e -> e.getString("event").equals("StockReserved"))
              .forEach(e -> reservedBy.add(e.getString("node")));
        } else {
          assertThat(order.getString("status")).isEqualTo("REJECTED");
        }
      }
      assertThat(confirmed).isEqualTo(STOCK);
      assertThat(confirmed + (ids.size() - confirmed) + refusedAtOnce).isEqualTo(ORDERS);
      assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isZero();
      // Which node reserved is up to the event bus's round robin and batching; both could.
      assertThat(reservedBy).isSubsetOf("s1-inventory+email", "s2-inventory").isNotEmpty();
    }
  }
}
