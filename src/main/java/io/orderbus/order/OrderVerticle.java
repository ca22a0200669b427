package io.orderbus.order;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.ServiceBinder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** Role {@code order}: the messaging edge of {@link OrderService}. */
public final class OrderVerticle extends VerticleBase {
  private final HazelcastInstance hazelcast;
  private final Delivery delivery;
  private final String node;
  private final Duration requestTimeout;
  private final int circuitMaxFailures;
  private final Duration circuitResetTimeout;

  public OrderVerticle(HazelcastInstance hazelcast, Delivery delivery, String node, Duration requestTimeout,
                       int circuitMaxFailures, Duration circuitResetTimeout) {
    this.hazelcast = hazelcast;
    this.delivery = delivery;
    this.node = node;
    this.requestTimeout = requestTimeout;
    this.circuitMaxFailures = circuitMaxFailures;
    this.circuitResetTimeout = circuitResetTimeout;
  }

  @Override
  public Future<?> start() {
    OrderService service = new OrderService(vertx, hazelcast, delivery, node, requestTimeout, circuitMaxFailures,
        circuitResetTimeout);
    MessageConsumer<JsonObject> levels = vertx.eventBus().consumer(InventoryContract.LEVELS, message ->
        service.onStockLevel(InventoryContract.StockLevel.fromJson(message.body())));
    return Future.all(OrderApi.serve(new ServiceBinder(vertx), service).ready(), levels.completion(),
        delivery.subscribe(OrderContract.GROUP, service::onEvent));
  }
}
