package io.orderbus.order;

import io.orderbus.events.Line;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order change is applied once, on the primary; the backup stores the result. The member that held the
 * primary dies right after: the survivor has the change, and a repeat of it still changes nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrderUpdateBackupTest {
  private final TestNodes nodes = new TestNodes(2);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void theBackupHoldsWhatThePrimaryComputed() {
    HazelcastInstance first = nodes.hazelcast(0);
    HazelcastInstance second = nodes.hazelcast(1);
    String id = UUID.randomUUID().toString();
    Order order = new Order(id, "a@example.com", List.of(new Line("book", 1)), OrderMode.ASYNC, OrderStatus.ACCEPTED, null, EmailStatus.PENDING,
        1L, List.of(new Order.TimelineEntry(OrderStatus.ACCEPTED.name(), "n1", 1L, "accepted")), "trace-1");
    IMap<String, StoredOrder> orders = first.getMap(OrderContract.ORDERS_MAP);
    orders.set(id, new StoredOrder(order));
    OrderUpdate confirm = new OrderUpdate(OrderStatus.CONFIRMED, null, null,
        new Order.TimelineEntry("StockReserved", "n2", 2L, "event-1"));
    orders.executeOnKey(id, confirm);

    HazelcastInstance owner = first.getPartitionService().getPartition(id).getOwner().localMember() ? first : second;
    HazelcastInstance survivor = owner == first ? second : first;
    owner.getLifecycleService().terminate();

    IMap<String, StoredOrder> survived = survivor.getMap(OrderContract.ORDERS_MAP);
    Order stored = survived.get(id).order();
    assertThat(stored.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(stored.timeline()).hasSize(2);
    assertThat(stored).isEqualTo(new Order(id, "a@example.com", List.of(new Line("book", 1)), OrderMode.ASYNC, OrderStatus.CONFIRMED,
        null, EmailStatus.PENDING, 1L, List.of(new Order.TimelineEntry(OrderStatus.ACCEPTED.name(), "n1", 1L, "accepted"),
        new Order.TimelineEntry("StockReserved", "n2", 2L, "event-1")), "trace-1"));
    StoredOrder again = survived.executeOnKey(id, new OrderUpdate(OrderStatus.CONFIRMED, null, null,
        new Order.TimelineEntry("StockReserved", "n2", 3L, "event-1")));
    assertThat(again.order().timeline()).hasSize(2);
  }
}
