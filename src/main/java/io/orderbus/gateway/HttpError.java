package io.orderbus.gateway;

import io.vertx.core.json.JsonObject;

/**
 * An error answer: status, a stable machine-readable code and a message for people. {@code service}
 * names the service at fault when one is; {@code retryAfterSeconds} is sent as {@code Retry-After}.
 */
public record HttpError(int status, String code, String message, String service, Integer retryAfterSeconds) {

  public HttpError(int status, String code, String message) {
    this(status, code, message, null, null);
  }

  public JsonObject body() {
    JsonObject body = new JsonObject().put("error", code).put("message", message);
    if (service != null) {
      body.put("service", service);
    }
    return body;
  }
}
