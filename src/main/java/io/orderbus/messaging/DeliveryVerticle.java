package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Runs a node's durable-delivery timers (redelivery, backlog) on a context of their own. */
public final class DeliveryVerticle extends VerticleBase {
  private final DurableDelivery delivery;

  public DeliveryVerticle(DurableDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    return delivery.start();
  }

  @Override
  public Future<?> stop() {
    delivery.stop();
    return Future.succeededFuture();
  }
}
