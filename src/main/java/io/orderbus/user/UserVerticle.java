package io.orderbus.user;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.ServiceBinder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.time.Duration;

/** Deployed with role {@code order}: the messaging edge of {@link UserService}. */
public final class UserVerticle extends VerticleBase {
  private final HazelcastInstance hazelcast;
  private final Delivery delivery;
  private final Duration welcomeDelay;

  public UserVerticle(HazelcastInstance hazelcast, Delivery delivery, Duration welcomeDelay) {
    this.hazelcast = hazelcast;
    this.delivery = delivery;
    this.welcomeDelay = welcomeDelay;
  }

  @Override
  public Future<?> start() {
    UserService service = new UserService(vertx, hazelcast, delivery, welcomeDelay);
    return UserApi.serve(new ServiceBinder(vertx), service).ready();
  }
}
