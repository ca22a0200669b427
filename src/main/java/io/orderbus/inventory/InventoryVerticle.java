package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.ServiceBinder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

import java.util.function.Function;

/** Role {@code inventory}: the messaging edge of {@link InventoryService}. */
public final class InventoryVerticle extends VerticleBase {
  private final Function<Vertx, StockStore> stores;
  private final Delivery delivery;

  /** With the embedded store: stock in the cluster's Hazelcast maps. */
  public InventoryVerticle(HazelcastInstance hazelcast, Delivery delivery, String node) {
    this(v -> new HazelcastStockStore(v, hazelcast, node), delivery);
  }

  /** With stock in PostgreSQL (see {@link PgStockStore}). */
  public InventoryVerticle(PgStockStore.Settings postgres, Delivery delivery, String node) {
    this(v -> new PgStockStore(v, postgres, node), delivery);
  }

  private InventoryVerticle(Function<Vertx, StockStore> stores, Delivery delivery) {
    this.stores = stores;
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    InventoryService service = new InventoryService(vertx, stores.apply(vertx), delivery);
    ServiceBinder api = InventoryApi.serve(new ServiceBinder(vertx), service);
    return service.seed().compose(v -> Future.all(api.ready(),
        delivery.subscribe(InventoryContract.GROUP, service::onOrderCreated)));
  }
}
