package io.orderbus.gateway;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the gateway answers: JSON bodies, and errors as {@code {"error", "message"}} with their headers. */
final class Responses {

  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    // Also here, not only in the router's first handler: some answers (a request target Vert.x Web cannot
    // route, such as "*") are given before that handler runs.
    SecurityHeaders.apply(ctx.response());
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  static void error(RoutingContext ctx, HttpError error) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    if (error.retryAfterSeconds() != null) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
    }
    json(ctx, error.status(), error.body());
  }

  /**
   * Answers {@code error} outside the router (or instead of whatever was under way) and closes the connection:
   * for a request that cannot be read to its end, after which no next request can be found on it.
   */
  static void errorThenClose(HttpServerResponse response, HttpConnection connection, HttpError error) {
    if (response.ended() || response.headWritten()) {
      connection.close();
      return;
    }
    SecurityHeaders.apply(response);
    response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close").end(error.body().encode())
        .onComplete(ar -> connection.close());
  }
}
