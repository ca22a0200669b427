package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Runs a node's dispatching, adoption and backlog timers on a context of their own; undeploying stops them. */
public final class DeliveryVerticle extends VerticleBase {
  private final DurableDelivery delivery;

  public DeliveryVerticle(DurableDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    return delivery.start();
  }
}
