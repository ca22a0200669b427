package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

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
    var bus = vertx.eventBus();
    var reserve = bus.<JsonObject>consumer(InventoryContract.RESERVE, m ->
        Replies.reply(m, Replies.attempt(() -> service.reserve(ReserveRequest.fromJson(m.body())))
            .map(InventoryContract.Reservation::toJson)));
    var release = bus.<JsonObject>consumer(InventoryContract.RELEASE, m ->
        Replies.reply(m, service.release(m.body().getString("orderId")).map(InventoryContract.Reservation::toJson)));
    var get = bus.<JsonObject>consumer(InventoryContract.GET, m ->
        Replies.reply(m, service.get(m.body().getString("sku")).map(InventoryContract.StockLevel::toJson)));
    var set = bus.<JsonObject>consumer(InventoryContract.SET, m ->
        Replies.reply(m, Replies.attempt(() -> service.set(m.body().getString("sku"),
                m.body().getValue("body") instanceof JsonObject body ? body : null))
            .map(InventoryContract.StockLevel::toJson)));
    var catalog = bus.<JsonObject>consumer(InventoryContract.CATALOG, m -> Replies.reply(m, service.catalog(m.body())));
    return service.seed().compose(v -> Future.all(reserve.completion(), release.completion(), get.completion(),
        set.completion(), catalog.completion(),
        delivery.subscribe(InventoryContract.GROUP, service::onOrderCreated)));
  }
}
