package io.orderbus.gateway;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.EventStream;
import io.orderbus.support.Eventually;
import io.orderbus.support.StreamCap;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code /orders/{id}/events} streams may hold of a gateway: at most {@code maxOrderStreams} (3 here) at
 * once, and each only until its order settles, whatever {@code Last-Event-ID} the client sent. No email node
 * runs until a test starts one, so until then the orders stay unsettled and their streams open. The gateway's
 * idle timeout is 2 s and its re-read interval an hour: a stream that outlives the idle timeout does so by its
 * keep-alive comments alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrderStreamLimitsTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final int MAX_STREAMS = 3;
  @AutoClose
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(2);
    Node node = nodes.start(0, "gateway,order,inventory", "maxOrderStreams", MAX_STREAMS, "httpIdleTimeout", "PT2S",
        "streamRefresh", "PT1H");
    api = new Api(vertx, node.httpPort());
  }

  @Test
  void pastTheCapAStreamIs503UntilOneCloses(Vertx vertx) {
    String id = api.confirmedAwaitingEmail(SETTLE);
    StreamCap.check(vertx, api, "/orders/" + id + "/events", Map.of(), MAX_STREAMS, SETTLE, over ->
        assertThat(api.get("/orders/" + id).status()).as("reading the order is not a stream").isEqualTo(200));
  }

  @Test
  void aStreamWithAnIdFromNowhereStartsOverOutlivesTheIdleTimeoutAndEndsWhenItsOrderSettles(Vertx vertx)
      throws Exception {
    String id = api.confirmedAwaitingEmail(SETTLE);
    int length = api.get("/orders/" + id).json().getJsonArray("timeline").size();
    EventStream stream = EventStream.open(vertx, api.port(), "/orders/" + id + "/events", "999");
    assertThat(stream.status()).isEqualTo(200);
    Eventually.until(SETTLE, "the order as it is, though the client claimed to have seen id 999",
        () -> !stream.events().isEmpty());
    assertThat(stream.events().get(0).id()).isEqualTo(length);

    Thread.sleep(5_000);
    assertThat(stream.ended()).as("open after 2.5 idle timeouts with nothing new to say").isFalse();

    Node email = nodes.start(1, "email");
    try {
      stream.awaitEnd(SETTLE.toSeconds());
    } finally {
      nodes.stop(email);
    }
    assertThat(stream.events().get(stream.events().size() - 1).data().getString("emailStatus")).isEqualTo("SENT");
  }
}
