package io.orderbus.order;

import io.orderbus.events.Line;
import io.orderbus.support.OlderForm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored order keeps the trace id of the request that placed it; one stored before orders had one still reads. */
class StoredOrderFormTest {

  @Test
  void theTraceIdIsStoredWithTheOrderAndShown() {
    Order order = order("req-1");
    assertThat(OlderForm.roundTrip(new StoredOrder(order)).order()).isEqualTo(order);
    assertThat(order.toJson().getString("traceId")).isEqualTo("req-1");
    assertThat(Order.fromJson(order.toJson())).isEqualTo(order);
  }

  @Test
  void anOrderStoredBeforeTraceIdsReadsWithNone() {
    assertThat(OlderForm.withoutLastString(new StoredOrder(order(null))).order()).isEqualTo(order(null));
  }

  private static Order order(String traceId) {
    return new Order("o-1", "a@example.com", List.of(new Line("book", 2)), OrderMode.ASYNC, OrderStatus.CONFIRMED, null,
        EmailStatus.SENT, 1L, List.of(new Order.TimelineEntry("ACCEPTED", "n1", 1L, "accepted"),
        new Order.TimelineEntry("StockReserved", "n2", 2L, "stock-o-1")), traceId);
  }
}
