package io.orderbus.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Headers on every gateway answer. Most answers carry personal data (an order's customer address, a user's
 * name, sent mail), and the others are not worth telling apart from them:
 * {@code Cache-Control: no-store}, so that no browser or proxy keeps a copy; {@code X-Content-Type-Options:
 * nosniff}, so that a browser never reads a JSON body (which may quote what a client sent) as HTML or script.
 */
final class SecurityHeaders {

  private SecurityHeaders() {
  }

  static void apply(HttpServerResponse response) {
    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Content-Type-Options", "nosniff");
  }
}
