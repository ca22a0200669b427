package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

/**
 * A failure a service means to report, with the code from its contract and, where they apply, the service at
 * fault and when a retry may succeed. The messaging edge ({@link Replies}) sends all of it as
 * {@code message.fail(code, details)}, the details as JSON ({@link #details()}); a client reads them back into a
 * {@link ServiceFailure}, so nothing is parsed out of a sentence on the way. Anything else is an internal error.
 */
public abstract class DomainFailure extends RuntimeException {
  private final int code;
  private final String service;
  private final Integer retryAfterSeconds;

  protected DomainFailure(int code, String message) {
    this(code, message, null, null);
  }

  /**
   * @param service           the service at fault, when one is (e.g. {@code inventory} for an order it could not
   *                          reserve), else null
   * @param retryAfterSeconds when a retry may succeed, for failures that pass (a full backlog, an open circuit),
   *                          else null
   */
  protected DomainFailure(int code, String message, String service, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.service = service;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int code() {
    return code;
  }

  /** The service at fault, or null. */
  public String service() {
    return service;
  }

  /** Seconds after which a retry may succeed, or null when waiting does not help. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** What travels with the code: {@code {"message", "service"?, "retryAfter"?}}. */
  public JsonObject details() {
    JsonObject details = new JsonObject().put("message", getMessage());
    if (service != null) {
      details.put("service", service);
    }
    if (retryAfterSeconds != null) {
      details.put("retryAfter", retryAfterSeconds);
    }
    return details;
  }
}
