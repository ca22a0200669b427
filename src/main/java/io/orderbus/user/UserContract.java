package io.orderbus.user;

import io.orderbus.email.EmailAddress;
import io.orderbus.email.HeaderSafeText;
import io.vertx.core.json.JsonObject;

/** Sign-up: what the user service answers on the event bus and what it publishes. */
public final class UserContract {

  /** Request: {@link SignUp}; reply: the stored user. */
  public static final String SIGN_UP = "user.signup";

  public static final int INVALID_REQUEST = 4001;
  public static final int MISSING_FIELD = 4002;
  /** Durable delivery refused the welcome event: its backlog is full. */
  public static final int BACKLOG_FULL = 4003;
  /** The user is stored but the welcome event may not be: it is published again in the background. */
  public static final int PUBLISH_INCOMPLETE = 4004;

  public static final String USERS_MAP = "users";

  private UserContract() {
  }

  /** A sign-up as a client sends it, once validated by {@link #parse}. */
  public record SignUp(String email, String name) {
    /** Longest name accepted, in UTF-16 units. */
    public static final int MAX_NAME = 200;

    /**
     * Validates the body of {@code POST /users}; throws {@link UserFailure} naming the first field at fault.
     *
     * <ul>
     *   <li>{@code email}: an address by {@link EmailAddress}'s rules.</li>
     *   <li>{@code name}: 1 to {@value #MAX_NAME} characters, not only whitespace, and on one line by
     *       {@link HeaderSafeText}'s rules, because it goes into the welcome email's subject: no control
     *       characters or line breaks, so nothing can be added to that mail's headers.</li>
     * </ul>
     */
    public static SignUp parse(JsonObject body) {
      if (body == null) {
        throw new UserFailure(INVALID_REQUEST, "the body must be a JSON object");
      }
      Object email = body.getValue("email");
      Object name = body.getValue("name");
      if (email == null || name == null) {
        throw new UserFailure(MISSING_FIELD, "email and name are required");
      }
      if (!EmailAddress.isValid(email)) {
        throw new UserFailure(INVALID_REQUEST, "email must be " + EmailAddress.RULE);
      }
      if (!HeaderSafeText.isValid(name, MAX_NAME)) {
        throw new UserFailure(INVALID_REQUEST, "name must be 1-" + MAX_NAME
            + " characters on one line, without control characters or line breaks");
      }
      return new SignUp((String) email, (String) name);
    }

    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("name", name);
    }

    public static SignUp fromJson(JsonObject json) {
      return new SignUp(json.getString("email"), json.getString("name"));
    }
  }

  /** A user as stored and as {@code POST /users} answers it. */
  public record User(String email, String name, long signedUpAt, long welcomeAt) {
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("name", name).put("signedUpAt", signedUpAt).put("welcomeAt", welcomeAt);
    }

    public static User fromJson(JsonObject json) {
      return new User(json.getString("email"), json.getString("name"), json.getLong("signedUpAt", 0L),
          json.getLong("welcomeAt", 0L));
    }
  }
}
