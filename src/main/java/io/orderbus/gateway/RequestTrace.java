package io.orderbus.gateway;

import io.orderbus.messaging.Trace;
import io.orderbus.messaging.TraceId;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request its trace id before anything else runs: the trace-id of a valid {@code traceparent}, else a
 * valid {@code X-Request-Id}, else that of the gateway's OpenTelemetry span (with OpenTelemetry on), else a fresh one.
 * Everything the request sets off (event-bus requests, durable events, log lines on every node) goes by it. The answer
 * says which: {@code X-Request-Id} always, and {@code traceparent}: the request's own (in its checked form) when it
 * came with a valid one, so the caller's tracing can link the two, else the gateway's span's when there is one. A
 * header that fails the check is dropped and replaced, never repeated: it might break a header or a log line.
 */
final class RequestTrace implements Handler<RoutingContext> {
  static final String REQUEST_ID = "X-Request-Id";
  static final String TRACEPARENT = "traceparent";

  @Override
  public void handle(RoutingContext ctx) {
    String given = TraceId.normalTraceparent(ctx.request().getHeader(TRACEPARENT));
    String traceparent = given != null ? given : Trace.spanTraceparent();
    String id = given != null ? TraceId.fromTraceparent(given)
        : TraceId.fromRequestId(ctx.request().getHeader(REQUEST_ID));
    if (id == null) {
      id = traceparent != null ? TraceId.fromTraceparent(traceparent) : TraceId.fresh();
    }
    Trace.adopt(id);
    ctx.response().putHeader(REQUEST_ID, id);
    if (traceparent != null) {
      ctx.response().putHeader(TRACEPARENT, traceparent);
    }
    ctx.next();
  }
}
