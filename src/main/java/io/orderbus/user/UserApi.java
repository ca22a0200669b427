package io.orderbus.user;

import io.orderbus.messaging.ServiceBinder;
import io.orderbus.messaging.ServiceClient;
import io.orderbus.user.UserContract.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * What the user service does for its callers, on the event bus at the addresses of {@link UserContract}.
 * Failures are {@link UserFailure}s with the contract's codes.
 */
public interface UserApi {

  /**
   * Signs a user up from a client's body ({@code {"email", "name"}}, validated here) and schedules the welcome
   * email; a repeated sign-up answers the user stored the first time.
   */
  Future<User> signUp(JsonObject body);

  /** Serves {@code api} on the contract's address. */
  static ServiceBinder serve(ServiceBinder binder, UserApi api) {
    return binder.serve(UserContract.SIGN_UP, json -> json.getJsonObject("body"), api::signUp, User::toJson);
  }

  /** Asks the user service across the cluster, waiting {@code timeout} for each answer. */
  static UserApi client(Vertx vertx, Duration timeout) {
    ServiceClient client = new ServiceClient(vertx, "user", timeout);
    return body -> client.ask(UserContract.SIGN_UP, new JsonObject().put("body", body), User::fromJson);
  }
}
