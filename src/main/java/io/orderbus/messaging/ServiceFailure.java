package io.orderbus.messaging;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A service's refusal as its caller sees it: the code from that service's contract and the details it sent
 * ({@link DomainFailure#details()}). Passed on as it is, it reaches the next caller unchanged.
 */
public final class ServiceFailure extends DomainFailure {

  public ServiceFailure(int code, String message, String service, Integer retryAfterSeconds) {
    super(code, message, service, retryAfterSeconds);
  }

  /**
   * Reads a refusal ({@link ReplyFailure#RECIPIENT_FAILURE}) back into its parts. A failure sent as plain text
   * (a node of an older version, or Vert.x itself) keeps its text as the message, with no details.
   */
  public static ServiceFailure of(ReplyException refusal) {
    String text = refusal.getMessage();
    if (text != null && text.startsWith("{")) {
      try {
        JsonObject details = new JsonObject(text);
        return new ServiceFailure(refusal.failureCode(), details.getString("message", ""), details.getString("service"),
            details.getInteger("retryAfter"));
      } catch (DecodeException | ClassCastException notDetails) {
        // Text that merely starts like JSON: keep it as it is.
      }
    }
    return new ServiceFailure(refusal.failureCode(), text, null, null);
  }
}
