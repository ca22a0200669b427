package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stock store contract against the embedded store: two Hazelcast members, node n1 on one, n2 on the other. */
class HazelcastStockStoreTest extends StockStoreContract {
  private static TestNodes nodes;
  private static HazelcastInstance one;
  private static HazelcastInstance two;

  @BeforeAll
  static void start() {
    nodes = new TestNodes(2);
    one = nodes.hazelcast(0);
    two = nodes.hazelcast(1);
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Override
  StockStore store(Vertx vertx, String node) {
    return new HazelcastStockStore(vertx, node.equals("n1") ? one : two, node);
  }

  /**
   * Unlike PostgreSQL, the embedded store seeds only a cluster that never had stock: after losing the members
   * that held some SKUs, a restart must not put those back at the demo level.
   */
  @Test
  void seedsNothingIntoAClusterThatHasStock(Vertx vertx) throws Exception {
    StockStore store = store(vertx, "n1");
    String sku = sku();
    await(store.set(sku, 7));
    await(store.seed(Map.of(sku + "-new", 5)));
    assertThat(await(store.available(sku + "-new"))).isNull();
  }
}
