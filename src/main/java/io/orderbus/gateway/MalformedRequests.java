package io.orderbus.gateway;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request HTTP itself could not read (a broken request line or header, a line or headers over the
 * server's bounds), before any route sees it: in the same {@code {"error", "message"}} form as every other
 * error, then closes the connection, since where the next request would start is unknown. The decoder's own
 * words are not repeated: they describe the server's parser, not the client's mistake.
 */
final class MalformedRequests {

  private MalformedRequests() {
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    HttpError error;
    if (cause instanceof TooLongHttpLineException) {
      error = new HttpError(414, "URI_TOO_LONG", "the request line is longer than " + GatewayVerticle.MAX_LINE_BYTES + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new HttpError(431, "HEADERS_TOO_LARGE", "the headers are larger than " + GatewayVerticle.MAX_HEADER_BYTES + " bytes");
    } else {
      error = new HttpError(400, "BAD_REQUEST", "the request is not valid HTTP/1.1");
    }
    Responses.errorThenClose(request.response(), request.connection(), error);
  }
}
