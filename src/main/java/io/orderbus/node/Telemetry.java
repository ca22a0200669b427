package io.orderbus.node;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry for one node, only when {@code otlpEndpoint} names a collector: Vert.x then makes spans of HTTP
 * requests and event-bus messages (vertx-opentelemetry), propagates them in W3C {@code traceparent} headers, and
 * exports them in batches over OTLP/HTTP. Without an endpoint nothing of it is built: Vert.x runs with no tracer, so
 * no span, header or export costs anything.
 */
final class Telemetry {
  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * Sets {@code builder} up to trace to {@code endpoint} (a collector's base URL, {@code http://host:4318}; spans go to
   * its {@code /v1/traces}), or leaves it as it is for an empty endpoint; null then.
   */
  static Telemetry configure(VertxBuilder builder, VertxOptions options, String endpoint, String nodeName) {
    if (endpoint.isBlank()) {
      return null;
    }
    if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new NodeConfig.InvalidConfigException("otlpEndpoint must be an http:// or https:// URL (OTLP over HTTP),"
          + " not '" + endpoint + "'");
    }
    String traces = endpoint.endsWith("/v1/traces") ? endpoint : endpoint.replaceAll("/+$", "") + "/v1/traces";
    Resource resource = Resource.getDefault().toBuilder()
        .put("service.name", "orderbus").put("service.instance.id", nodeName).build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(traces).build()).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    options.setTracingOptions(new OpenTelemetryOptions());
    builder.withTracer(new OpenTelemetryTracingFactory(sdk));
    return new Telemetry(sdk);
  }

  /** Sends what is still batched, and stops, when {@code vertx} closes. */
  void closeWith(Vertx vertx) {
    ((VertxInternal) vertx).addCloseHook(done -> sdk.shutdown().join(5, TimeUnit.SECONDS).whenComplete(done::succeed));
  }
}
