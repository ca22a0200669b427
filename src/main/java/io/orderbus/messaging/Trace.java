package io.orderbus.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;

import java.util.function.Supplier;

/**
 * The trace id ({@link TraceId}) of the request being worked on, kept where Vert.x keeps per-request state: in a
 * local of the duplicated context a request or message runs on. Whatever the work composes (futures, event-bus
 * replies, Hazelcast calls answered on the caller's context, timers) runs on that context too, so the id follows
 * the work with nothing passed by hand, and leaves with it. The event loop's own context never holds one, so no id
 * leaks into unrelated work.
 *
 * <p>Across the event bus the id travels as the {@link #HEADER} header (requests through {@link ServiceClient},
 * taken by {@link ServiceBinder}; live publications through {@link #options}); in durable events as a field of the
 * stored entry ({@link PendingEntry#traceId}), set again around the handler by the member that runs it.
 */
public final class Trace {
  /** Event-bus header that carries the id. */
  public static final String HEADER = "trace-id";

  private Trace() {
  }

  /** The id of the work running now, or null (no request, or one before ids existed). */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(TraceLocal.ID);
  }

  /**
   * Makes {@code id} the id of the work running now, if the caller runs on a request's own (duplicated) context, as
   * HTTP requests and event-bus messages do; elsewhere, or for a null id or one {@link TraceId#fromRequestId} refuses,
   * nothing changes.
   */
  public static void adopt(String id) {
    if (checked(id) != null && Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
      context.putLocal(TraceLocal.ID, id);
    }
  }

  /**
   * {@code id} if it is safe to log, else null. Checked again on the way in from the event bus and the pending map,
   * not only at the gateway: every member of the cluster writes to those, and a line of the log must not be forged.
   */
  private static String checked(String id) {
    return id == null ? null : TraceId.fromRequestId(id);
  }

  /**
   * The W3C {@code traceparent} of the OpenTelemetry span the caller runs in (the gateway's span of an HTTP request,
   * with OpenTelemetry on), or null when there is none, as always without OpenTelemetry.
   */
  public static String spanTraceparent() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
        : null;
  }

  /** Takes the id a message carries, for the handler of that message. */
  static void adopt(Message<?> message) {
    adopt(message.headers().get(HEADER));
  }

  /** {@code options} with the current id as {@link #HEADER}, if there is one. */
  public static DeliveryOptions options(DeliveryOptions options) {
    String id = current();
    return id == null ? options : options.addHeader(HEADER, id);
  }

  /** New delivery options carrying the current id, for a publish that tells others about this request. */
  public static DeliveryOptions options() {
    return options(new DeliveryOptions());
  }

  /**
   * Runs {@code work} now, on this thread, as work of {@code id} (if it is safe to log): on a new duplicate of {@code base} (which the caller
   * runs on, or a duplicate of it) holding the id, so that what it composes keeps it. Work without an id runs as it
   * is, unless the caller runs in another request's scope: then on a duplicate without one, so that it does not go by
   * that request's id. (Untraced work, as the benchmark's, so costs one context-local read and no allocation.)
   */
  static <T> Future<T> within(Context base, String id, Supplier<Future<T>> work) {
    String safe = checked(id);
    if (safe == null && current() == null) {
      return work.get();
    }
    ContextInternal scope = ((ContextInternal) base).duplicate();
    if (safe != null) {
      scope.putLocal(TraceLocal.ID, safe);
    }
    ContextInternal previous = scope.beginDispatch();
    try {
      return work.get();
    } finally {
      scope.endDispatch(previous);
    }
  }

  /** Whether the caller runs on {@code base} or on a duplicate of it (the same thread and state). */
  static boolean runsOn(Context base) {
    Context current = Vertx.currentContext();
    return current == base || (current instanceof ContextInternal c && c.unwrap() == base);
  }
}
