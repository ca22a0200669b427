package io.orderbus.node;

import io.orderbus.messaging.TraceId;
import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenTelemetry only with an endpoint: a node given {@code otlpEndpoint} exports the spans of an order to a real
 * OTLP/HTTP receiver (a small one here, which keeps what is posted to {@code /v1/traces}), in the trace the client's
 * {@code traceparent} named; a node without one has no tracer at all.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OtlpExportTest {

  @Test
  void theSpansOfAnOrderReachTheOtlpReceiverInTheClientsTrace(Vertx vertx) throws Exception {
    List<byte[]> exports = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    Router receiver = Router.router(vertx);
    receiver.post("/v1/traces").handler(BodyHandler.create()).handler(ctx -> {
      exports.add(ctx.body().buffer().getBytes());
      contentTypes.add(ctx.request().getHeader("Content-Type"));
      ctx.response().putHeader("Content-Type", "application/x-protobuf").end();
    });
    HttpServer collector = vertx.createHttpServer().requestHandler(receiver).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    try (TestNodes nodes = new TestNodes(1)) {
      var node = nodes.start(0, "gateway,order,inventory,email",
          "otlpEndpoint", "http://127.0.0.1:" + collector.actualPort());
      Api api = new Api(vertx, node.httpPort());
      String traceId = TraceId.fresh();
      var request = api.client().post("/orders").putHeader("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
      var accepted = api.send(request, "application/json", Api.order(UUID.randomUUID() + "@example.com", "book", 1).toBuffer());
      assertThat(accepted.status()).isEqualTo(202);

      assertThat(accepted.headers().get("X-Request-Id")).isEqualTo(traceId);
      // Without ids of its own, a request goes by the trace of the gateway's span, and is told so.
      var anonymous = api.post("/orders", Api.order(UUID.randomUUID() + "@example.com", "book", 1));
      assertThat(anonymous.status()).isEqualTo(202);
      String spanTrace = anonymous.headers().get("X-Request-Id");
      assertThat(anonymous.headers().get("traceparent")).matches("00-" + spanTrace + "-[0-9a-f]{16}-[0-9a-f]{2}");
      assertThat(anonymous.json().getString("traceId")).isEqualTo(spanTrace);

      for (String id : List.of(traceId, spanTrace)) {
        // A span's trace id is its 16 raw bytes in the protobuf body.
        byte[] trace = HexFormat.of().parseHex(id);
        Eventually.until(Duration.ofSeconds(30), "a span of trace " + id + " at the receiver",
            () -> exports.stream().anyMatch(body -> contains(body, trace)));
      }
      assertThat(contentTypes).allMatch("application/x-protobuf"::equals);
    } finally {
      collector.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutAnEndpointVertxRunsWithoutATracer() throws Exception {
    try (TestNodes nodes = new TestNodes(1)) {
      var node = nodes.start(0, "gateway");
      assertThat(((VertxInternal) node.vertx()).tracer()).isNull();
    }
  }

  private static boolean contains(byte[] body, byte[] part) {
    for (int i = 0; i + part.length <= body.length; i++) {
      if (java.util.Arrays.equals(body, i, i + part.length, part, 0, part.length)) {
        return true;
      }
    }
    return false;
  }
}
