package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One change to a stored order, applied where the order lives so that concurrent changes (stock
 * outcome and email sent arrive independently, on any node) never overwrite each other.
 *
 * <p>Idempotent: a change whose timeline key is already there is skipped, so a redelivered event changes
 * nothing. A final status (CONFIRMED, REJECTED, FAILED) is never replaced. Returns the order after the
 * change, or null if there is no such order.
 */
final class OrderUpdate implements EntryProcessor<String, StoredOrder, StoredOrder>, DataSerializable {
  private OrderStatus status;
  private String reason;
  private EmailStatus emailStatus;
  private List<Order.TimelineEntry> entries;
  /** The order as this change left it on the primary: what the backup stores, without redoing the change. */
  private transient StoredOrder updated;

  /** For Hazelcast, which fills it in with {@link #readData}. */
  public OrderUpdate() {
  }

  /**
   * @param status      the new status, or null to keep it
   * @param emailStatus the new email status, or null to keep it
   * @param entries     timeline entries to add; the first one's key decides whether this change was applied before
   */
  OrderUpdate(OrderStatus status, String reason, EmailStatus emailStatus, Order.TimelineEntry... entries) {
    this.status = status;
    this.reason = reason;
    this.emailStatus = emailStatus;
    this.entries = List.of(entries);
  }

  @Override
  public StoredOrder process(Map.Entry<String, StoredOrder> entry) {
    StoredOrder stored = entry.getValue();
    if (stored == null) {
      return null;
    }
    Order order = stored.order();
    String key = entries.isEmpty() ? null : entries.get(0).key();
    if (key != null && order.timeline().stream().anyMatch(e -> key.equals(e.key()))) {
      return stored;
    }
    boolean statusChanges = status != null && order.status() == OrderStatus.ACCEPTED;
    List<Order.TimelineEntry> timeline = new ArrayList<>(order.timeline().size() + entries.size());
    timeline.addAll(order.timeline());
    timeline.addAll(entries);
    updated = new StoredOrder(new Order(order.id(), order.customerEmail(), order.items(), order.mode(),
        statusChanges ? status : order.status(),
        statusChanges && reason != null ? reason : order.reason(),
        emailStatus != null && order.emailStatus() != EmailStatus.SENT ? emailStatus : order.emailStatus(),
        order.createdAt(), List.copyOf(timeline), order.traceId()));
    entry.setValue(updated);
    return updated;
  }

  /** The backup copies the result (the change is not worked out twice); nothing to copy if nothing changed. */
  @Override
  public EntryProcessor<String, StoredOrder, StoredOrder> getBackupProcessor() {
    return updated == null ? null : new StoreOrder(updated);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(status == null ? null : status.name());
    out.writeString(reason);
    out.writeString(emailStatus == null ? null : emailStatus.name());
    StoredOrder.writeTimeline(out, entries);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    String statusName = in.readString();
    status = statusName == null ? null : OrderStatus.valueOf(statusName);
    reason = in.readString();
    String emailName = in.readString();
    emailStatus = emailName == null ? null : EmailStatus.valueOf(emailName);
    entries = StoredOrder.readTimeline(in);
  }
}
