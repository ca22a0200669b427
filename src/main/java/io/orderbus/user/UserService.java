package io.orderbus.user;

import io.orderbus.events.UserEvents;
import io.orderbus.events.UserEvents.UserSignedUp;

import io.orderbus.messaging.HazelcastCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.messaging.BacklogFullException;
import io.orderbus.messaging.ClusterClock;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.PublishHealer;
import io.orderbus.user.UserContract.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Sign-up: records the user and schedules {@code UserSignedUp} after the welcome delay, durably, so the
 * welcome email goes out even if the node that accepted the sign-up is gone by then.
 */
public final class UserService implements UserApi {

  private final Vertx vertx;
  private final Delivery delivery;
  private final Duration welcomeDelay;
  private final IMap<String, String> users;
  private final ClusterClock clock;
  private final PublishHealer healer;

  public UserService(Vertx vertx, HazelcastInstance hazelcast, Delivery delivery, Duration welcomeDelay) {
    this.vertx = vertx;
    this.delivery = delivery;
    this.welcomeDelay = welcomeDelay;
    this.users = hazelcast.getMap(UserContract.USERS_MAP);
    this.clock = ClusterClock.of(hazelcast);
    this.healer = new PublishHealer(vertx);
  }

  @Override
  public Future<User> signUp(JsonObject body) {
    UserContract.SignUp signUp;
    try {
      signUp = UserContract.SignUp.parse(body);
    } catch (UserFailure e) {
      return Future.failedFuture(e);
    }
    String address = signUp.email();
    String text = signUp.name();
    long now = clock.now();
    User user = new User(address, text, now, now + welcomeDelay.toMillis());
    return vertx.executeBlocking(() -> users.putIfAbsent(address, user.toJson().encode()), false).compose(previous -> {
      if (previous != null) {
        // A repeated sign-up: the first one's event may have been lost half-way (the user stored, the event
        // not, the client answered an error). Schedule it again for the same time: the welcome is once per
        // address, so an event that did arrive changes nothing.
        User stored = User.fromJson(new JsonObject(previous));
        Duration left = Duration.ofMillis(Math.max(0, stored.welcomeAt() - now));
        return delivery.publishDelayed(UserEvents.USER_SIGNED_UP, "user-" + address,
            new UserSignedUp(address, stored.name()).toJson(), left).map(stored);
      }
      return delivery.publishDelayed(UserEvents.USER_SIGNED_UP, "user-" + address,
              new UserSignedUp(address, text).toJson(), welcomeDelay)
          .map(user)
          .recover(failure -> failure instanceof BacklogFullException full
              ? HazelcastCalls.on(users.removeAsync(address), vertx.getOrCreateContext())
                  .compose(x -> Future.failedFuture(new UserFailure(UserContract.BACKLOG_FULL, full.getMessage(),
                      full.retryAfterSeconds())))
              : publishIncomplete(address, text, user.welcomeAt(), failure));
    });
  }

  /** The user is stored, the welcome event perhaps not: publish it again in the background until it lands. */
  private Future<User> publishIncomplete(String address, String name, long welcomeAt, Throwable failure) {
    healer.heal("user " + address,
        () -> HazelcastCalls.on(users.getAsync(address), vertx.getOrCreateContext()).map(json -> json != null),
        () -> delivery.publishDelayed(UserEvents.USER_SIGNED_UP, "user-" + address,
            new UserSignedUp(address, name).toJson(),
            Duration.ofMillis(Math.max(0, welcomeAt - clock.now()))));
    return Future.failedFuture(new UserFailure(UserContract.PUBLISH_INCOMPLETE, "user " + address + " is stored but"
        + " the welcome could not be scheduled (" + failure.getClass().getSimpleName() + "); it is scheduled again in"
        + " the background: signing up again makes sure"));
  }
}
