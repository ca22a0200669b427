package io.orderbus.events;

import io.vertx.core.json.JsonObject;

/** What the user service publishes. */
public final class UserEvents {
  /** Published on sign-up, delayed by {@code welcomeDelay}: the email group sends the welcome email. */
  public static final String USER_SIGNED_UP = "UserSignedUp";

  private UserEvents() {
  }

  public record UserSignedUp(String email, String name) {
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("name", name);
    }

    public static UserSignedUp fromJson(JsonObject json) {
      return new UserSignedUp(json.getString("email"), json.getString("name"));
    }
  }
}
