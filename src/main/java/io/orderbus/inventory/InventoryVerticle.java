package io.orderbus.inventory;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** Role {@code inventory}: the messaging edge of {@link InventoryService}. */
public final class InventoryVerticle extends VerticleBase {
  private final HazelcastInstance hazelcast;
  private final Delivery delivery;
  private final String node;

  public InventoryVerticle(HazelcastInstance hazelcast, Delivery delivery, String node) {
    this.hazelcast = hazelcast;
    this.delivery = delivery;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    InventoryService service = new InventoryService(vertx, hazelcast, delivery, node);
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
