package io.orderbus.inventory;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demo stock is seeded once per cluster. A cluster that lost its stock entries (two members gone at once,
 * with one backup) must not get them back at the demo level when an inventory node starts again: that
 * would sell stock that was sold already. The record of the seed is on every member, so it outlives them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoSeedTest {
  private final TestNodes nodes = new TestNodes(3);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void stockLostAfterTheSeedIsNotSeededAgain(Vertx vertx) throws Exception {
    Node gateway = nodes.start(0, "gateway,order");
    nodes.start(1, "inventory");
    Api api = new Api(vertx, gateway.httpPort());
    assertThat(api.get("/inventory/book").json().getInteger("available"))
        .isEqualTo(InventoryService.DEMO_STOCK.get("book"));
    assertThat(api.put("/inventory/book", new JsonObject().put("available", 7)).status()).isEqualTo(200);

    // As if the members holding the stock entries died together: the entries are gone, the cluster is not.
    gateway.hazelcast().getMap(InventoryContract.STOCK_MAP).clear();
    nodes.start(2, "inventory");

    assertThat(api.get("/inventory/book").status()).as("not put back at the demo level").isEqualTo(404);
    assertThat(api.put("/inventory/book", new JsonObject().put("available", 7)).status())
        .as("an operator sets it again").isEqualTo(200);
    assertThat(api.get("/inventory/book").json().getInteger("available")).isEqualTo(7);
  }
}
