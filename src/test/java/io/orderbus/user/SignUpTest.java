package io.orderbus.user;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation of {@code POST /users} bodies, in {@link UserContract.SignUp#parse}. */
class SignUpTest {

  private static void assertRefused(JsonObject body, int code, String messagePart) {
    assertThatThrownBy(() -> UserContract.SignUp.parse(body)).as("%s", body)
        .isInstanceOfSatisfying(UserFailure.class, f -> assertThat(f.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aValidSignUpParses() {
    UserContract.SignUp signUp = UserContract.SignUp.parse(new JsonObject().put("email", "dee@example.com").put("name", "Dee"));
    assertThat(signUp).isEqualTo(new UserContract.SignUp("dee@example.com", "Dee"));
  }

  @Test
  void aNameThatCouldAddAMailHeaderIsRefused() {
    assertRefused(new JsonObject().put("email", "dee@example.com").put("name", "Dee\r\nBcc: eve@example.com"),
        UserContract.INVALID_REQUEST, "name");
    assertRefused(new JsonObject().put("email", "dee@example.com").put("name", "Dee\u0000"), UserContract.INVALID_REQUEST, "name");
    assertRefused(new JsonObject().put("email", "dee@example.com").put("name", "x".repeat(201)), UserContract.INVALID_REQUEST, "name");
    assertRefused(new JsonObject().put("email", "dee@example.com").put("name", 5), UserContract.INVALID_REQUEST, "name");
  }

  @Test
  void anAddressOutsideTheRulesIsRefused() {
    assertRefused(new JsonObject().put("email", "dee@example.com,eve@example.com").put("name", "Dee"),
        UserContract.INVALID_REQUEST, "email");
    assertRefused(new JsonObject().put("email", "<dee@example.com>").put("name", "Dee"), UserContract.INVALID_REQUEST, "email");
  }

  @Test
  void missingFieldsAreNamed() {
    assertRefused(new JsonObject().put("name", "Dee"), UserContract.MISSING_FIELD, "email and name are required");
    assertRefused(null, UserContract.INVALID_REQUEST, "JSON object");
  }
}
