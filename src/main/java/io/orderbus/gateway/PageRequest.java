package io.orderbus.gateway;

import io.orderbus.messaging.PageCursor;
import io.vertx.ext.web.RoutingContext;

import static io.orderbus.gateway.Responses.error;

/**
 * Which page of a list a client asks for: {@code ?limit=} (1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT}
 * if not given) items after {@code ?after=}, the {@code next} token of the previous page. Every list the
 * gateway serves is read this way, so none answers more than {@value #MAX_LIMIT} items at once.
 *
 * @param token the {@code after} token as sent, for a service that reads it itself
 */
record PageRequest(int limit, PageCursor after, String token) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  /** The page asked for, or null after answering 400 for a limit or token out of form. */
  static PageRequest of(RoutingContext ctx) {
    int limit = DEFAULT_LIMIT;
    String raw = ctx.queryParams().get("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        error(ctx, new HttpError(400, "INVALID_REQUEST", "limit must be a whole number from 1 to " + MAX_LIMIT));
        return null;
      }
    }
    String token = ctx.queryParams().get("after");
    try {
      return new PageRequest(limit, PageCursor.decode(token), token);
    } catch (IllegalArgumentException e) {
      error(ctx, new HttpError(400, "INVALID_REQUEST", e.getMessage()));
      return null;
    }
  }
}
