package io.orderbus.user;

import io.vertx.core.json.JsonObject;

/** Sign-up: what the user service answers on the event bus and what it publishes. */
public final class UserContract {

  /** Request: {@link SignUp}; reply: the stored user. */
  public static final String SIGN_UP = "user.signup";

  /** Published on sign-up, delayed by {@code welcomeDelay}: the email group sends the welcome email. */
  public static final String USER_SIGNED_UP = "UserSignedUp";

  public static final int INVALID_REQUEST = 4001;
  public static final int MISSING_FIELD = 4002;
  /** Durable delivery refused the welcome event: its backlog is full. */
  public static final int BACKLOG_FULL = 4003;
  /** The user is stored but the welcome event may not be: it is published again in the background. */
  public static final int PUBLISH_INCOMPLETE = 4004;

  public static final String USERS_MAP = "users";

  private UserContract() {
  }

  public record SignUp(String email, String name) {
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("name", name);
    }

    public static SignUp fromJson(JsonObject json) {
      return new SignUp(json.getString("email"), json.getString("name"));
    }
  }
}
