package io.orderbus;

import com.hazelcast.map.IMap;
import io.orderbus.node.Node;
import io.orderbus.order.EmailStatus;
import io.orderbus.order.Order;
import io.orderbus.order.OrderContract;
import io.orderbus.order.StoredOrder;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.EventStream;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /orders/{id}/events}. The watching gateway runs no order service and re-reads an order only
 * once an hour, so what it streams came by live publication across the cluster; the order node's own
 * gateway re-reads every second, for the test of a lost publication. Email runs only when a test starts
 * it: until then an async order stays CONFIRMED with its email PENDING, and its stream stays open.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OrderEventsTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static TestNodes nodes;
  private static Node orderNode;
  private static Api placing;
  private static Api watching;
  private static Api refreshing;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(3);
    orderNode = nodes.start(0, "gateway,order,inventory", "streamRefresh", "PT1S");
    Node watchNode = nodes.start(1, "gateway", "streamRefresh", "PT1H");
    placing = new Api(vertx, orderNode.httpPort());
    refreshing = placing;
    watching = new Api(vertx, watchNode.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void theStreamFollowsTheOrderUntilItIsSettledThenTellsAReconnectToStop(Vertx vertx) throws Exception {
    String id = confirmedAwaitingEmail();
    EventStream stream = EventStream.open(vertx, watching.port(), "/orders/" + id + "/events", null);
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
    Eventually.until(SETTLE, "the current state as the first event", () -> !stream.events().isEmpty());
    assertThat(stream.events().get(0).data().getString("status")).isEqualTo("CONFIRMED");
    assertThat(stream.ended()).as("open while the email is pending").isFalse();

    Node email = nodes.start(2, "email");
    try {
      stream.awaitEnd(SETTLE.toSeconds());
    } finally {
      nodes.stop(email);
    }
    List<EventStream.Event> events = stream.events();
    assertThat(events).hasSizeGreaterThanOrEqualTo(2);
    assertThat(events).extracting(EventStream.Event::id).isSorted().doesNotHaveDuplicates();
    JsonObject last = events.get(events.size() - 1).data();
    assertThat(last.getString("emailStatus")).isEqualTo("SENT");
    assertThat(events.get(events.size() - 1).id()).isEqualTo(last.getJsonArray("timeline").size());

    String lastId = String.valueOf(events.get(events.size() - 1).id());
    EventStream again = EventStream.open(vertx, watching.port(), "/orders/" + id + "/events", lastId);
    assertThat(again.status()).as("nothing newer will come: 204 stops an EventSource").isEqualTo(204);
    EventStream fresh = EventStream.open(vertx, watching.port(), "/orders/" + id + "/events", null);
    fresh.awaitEnd(SETTLE.toSeconds());
    assertThat(fresh.events()).extracting(e -> e.data().getString("emailStatus")).containsExactly("SENT");
  }

  @Test
  void aChangeWhoseLivePublicationWasLostStillReachesTheStream(Vertx vertx) throws Exception {
    String id = confirmedAwaitingEmail();
    EventStream stream = EventStream.open(vertx, refreshing.port(), "/orders/" + id + "/events", null);
    Eventually.until(SETTLE, "the current state as the first event", () -> !stream.events().isEmpty());

    // Changed in the store without any publication, as if the live one had been lost.
    IMap<String, StoredOrder> orders = orderNode.hazelcast().getMap(OrderContract.ORDERS_MAP);
    Order order = orders.get(id).order();
    List<Order.TimelineEntry> timeline = new java.util.ArrayList<>(order.timeline());
    timeline.add(new Order.TimelineEntry("EmailSent", "elsewhere", System.currentTimeMillis(), "email-" + id));
    orders.set(id, new StoredOrder(new Order(order.id(), order.customerEmail(), order.items(), order.mode(),
        order.status(), order.reason(), EmailStatus.SENT, order.createdAt(), timeline, order.traceId())));

    stream.awaitEnd(SETTLE.toSeconds());
    assertThat(stream.events().get(stream.events().size() - 1).data().getString("emailStatus")).isEqualTo("SENT");
  }

  @Test
  void anUnknownOrderIs404AndABadLastEventIdIs400() {
    Response unknown = watching.get("/orders/" + UUID.randomUUID() + "/events");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("error")).isEqualTo("ORDER_NOT_FOUND");

    Response bad = watching.send(watching.client().get("/orders/x/events").putHeader("Last-Event-ID", "soon"), null, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("error")).isEqualTo("INVALID_REQUEST");
  }

  private static String confirmedAwaitingEmail() {
    return placing.confirmedAwaitingEmail(SETTLE);
  }
}
