package io.orderbus.chaos;

import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client makes of one HTTP answer: a definite outcome (with the order it names, if any), or a reason to
 * try again with the same {@code Idempotency-Key}. As a real client would: connection errors, 5xx, 504 and
 * {@code 409 REQUEST_IN_PROGRESS} are retried; everything else is the answer.
 *
 * @param outcome the definite outcome, or null to retry
 * @param orderId the order the answer names, or null
 * @param label   the answer as the report counts it, e.g. {@code 503 SERVICE_UNAVAILABLE}
 */
record Answer(Outcome outcome, String orderId, String label) {
  /** How a request ended, as its client was told. */
  enum Outcome {
    /** async {@code 202}. */
    ACCEPTED,
    /** sync {@code 201}. */
    CONFIRMED,
    /** {@code 409 OUT_OF_STOCK}. */
    OUT_OF_STOCK,
    /** sync: the order failed ({@code 503 ORDER_FAILED}, or a 503/504 naming the order as FAILED). */
    FAILED,
    /** sign-up {@code 201}. */
    SIGNED_UP,
    /** a definite answer the workload never expects (a 4xx other than those above): a finding. */
    UNEXPECTED,
    /** no definite answer by the end of the run. */
    NONE
  }

  private static final Pattern ORDER_ID = Pattern.compile(
      "order ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  /** The sync path's failures name the order they failed: "... (order X FAILED)", "order X failed: ...". */
  private static final Pattern FAILED_ORDER = Pattern.compile(
      "order ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?: FAILED|\\s+failed:)");

  boolean definite() {
    return outcome != null;
  }

  static Answer retry(String label) {
    return new Answer(null, null, label);
  }

  /** Classifies an answer to a request of {@code kind}; {@code body} may be null (not JSON). */
  static Answer of(ClientRequest.Kind kind, int status, JsonObject body) {
    String error = body == null ? null : body.getString("error");
    String message = body == null ? "" : String.valueOf(body.getString("message"));
    String label = status + (error == null ? "" : " " + error);
    if (kind == ClientRequest.Kind.SIGNUP) {
      return status == 201 ? new Answer(Outcome.SIGNED_UP, null, label) : otherwise(status, error, label);
    }
    if (status == 202 && kind == ClientRequest.Kind.ASYNC || status == 201 && kind == ClientRequest.Kind.SYNC) {
      String id = body == null ? null : body.getString("id");
      return new Answer(kind == ClientRequest.Kind.ASYNC ? Outcome.ACCEPTED : Outcome.CONFIRMED, id, label);
    }
    if (status == 409 && "OUT_OF_STOCK".equals(error)) {
      Matcher m = ORDER_ID.matcher(message);
      return new Answer(Outcome.OUT_OF_STOCK, m.find() ? m.group(1) : null, label);
    }
    Matcher failed = FAILED_ORDER.matcher(message);
    if (kind == ClientRequest.Kind.SYNC && (status == 503 || status == 504) && failed.find()) {
      return new Answer(Outcome.FAILED, failed.group(1), label);
    }
    return otherwise(status, error, label);
  }

  private static Answer otherwise(int status, String error, String label) {
    if (status >= 500 || status == 409 && "REQUEST_IN_PROGRESS".equals(error)) {
      return retry(label);
    }
    return new Answer(Outcome.UNEXPECTED, null, label);
  }
}
