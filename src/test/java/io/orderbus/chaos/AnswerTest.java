package io.orderbus.chaos;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.orderbus.chaos.ClientRequest.Kind.ASYNC;
import static io.orderbus.chaos.ClientRequest.Kind.SIGNUP;
import static io.orderbus.chaos.ClientRequest.Kind.SYNC;
import static org.assertj.core.api.Assertions.assertThat;

/** What the chaos clients take as definite, and what they retry. */
class AnswerTest {
  private static final String ID = "8ff06c2c-1234-4abc-9def-0123456789ab";

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }

  @Test
  void successesAreDefiniteAndNameTheirOrder() {
    assertThat(Answer.of(ASYNC, 202, new JsonObject().put("id", ID))).isEqualTo(new Answer(Answer.Outcome.ACCEPTED, ID, "202"));
    assertThat(Answer.of(SYNC, 201, new JsonObject().put("id", ID))).isEqualTo(new Answer(Answer.Outcome.CONFIRMED, ID, "201"));
    assertThat(Answer.of(SIGNUP, 201, new JsonObject()).outcome()).isEqualTo(Answer.Outcome.SIGNED_UP);
  }

  @Test
  void aSyncFailureNamingItsOrderIsDefinite() {
    assertThat(Answer.of(SYNC, 503, error("SERVICE_UNAVAILABLE", "email service is not running (order " + ID + " FAILED)")))
        .isEqualTo(new Answer(Answer.Outcome.FAILED, ID, "503 SERVICE_UNAVAILABLE"));
    assertThat(Answer.of(SYNC, 503, error("ORDER_FAILED", "order " + ID + " failed: the order did not finish")).orderId())
        .isEqualTo(ID);
    assertThat(Answer.of(SYNC, 409, error("OUT_OF_STOCK", "order " + ID + " was rejected: not enough stock")))
        .isEqualTo(new Answer(Answer.Outcome.OUT_OF_STOCK, ID, "409 OUT_OF_STOCK"));
  }

  @Test
  void transientAnswersAreRetried() {
    assertThat(Answer.of(SYNC, 504, error("SERVICE_TIMEOUT", "email service did not answer within 2000 ms; whether the"
        + " confirmation went out is not known yet: order " + ID + " is settled within 8 s")).definite()).isFalse();
    assertThat(Answer.of(ASYNC, 503, error("BACKLOG_FULL", "full (retryAfter=3)")).definite()).isFalse();
    assertThat(Answer.of(ASYNC, 409, error("REQUEST_IN_PROGRESS", "order " + ID)).definite()).isFalse();
    assertThat(Answer.of(SIGNUP, 500, error("INTERNAL_ERROR", "x")).definite()).isFalse();
    assertThat(Answer.of(ASYNC, 503, error("SERVICE_UNAVAILABLE", "order service is not running")).definite()).isFalse();
  }

  @Test
  void otherClientErrorsAreDefiniteButUnexpected() {
    assertThat(Answer.of(ASYNC, 422, error("IDEMPOTENCY_KEY_REUSED", "x")).outcome()).isEqualTo(Answer.Outcome.UNEXPECTED);
    assertThat(Answer.of(SYNC, 400, null).outcome()).isEqualTo(Answer.Outcome.UNEXPECTED);
  }
}
