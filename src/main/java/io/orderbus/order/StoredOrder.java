package io.orderbus.order;

import io.orderbus.events.Line;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An order as the orders map holds it: its fields in Hazelcast's binary form. Stored as JSON text it was
 * parsed and encoded again by every change, on the member that owns it.
 */
public final class StoredOrder implements DataSerializable {
  private Order order;

  /** For Hazelcast, which fills it in with {@link #readData}. */
  public StoredOrder() {
  }

  public StoredOrder(Order order) {
    this.order = order;
  }

  public Order order() {
    return order;
  }

  // By position: the enums' orders are part of the stored form, so new values go last.
  private static final OrderMode[] MODES = OrderMode.values();
  private static final OrderStatus[] STATUSES = OrderStatus.values();
  private static final EmailStatus[] EMAIL_STATUSES = EmailStatus.values();

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(order.id());
    out.writeString(order.customerEmail());
    out.writeInt(order.items().size());
    for (Line line : order.items()) {
      out.writeString(line.sku());
      out.writeInt(line.quantity());
    }
    out.writeByte(order.mode().ordinal());
    out.writeByte(order.status().ordinal());
    out.writeString(order.reason());
    out.writeByte(order.emailStatus().ordinal());
    out.writeLong(order.createdAt());
    writeTimeline(out, order.timeline());
    // Last, so that an order stored before it existed still reads (below).
    out.writeString(order.traceId());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    String id = in.readString();
    String customerEmail = in.readString();
    int lines = in.readInt();
    List<Line> items = new ArrayList<>(lines);
    for (int i = 0; i < lines; i++) {
      items.add(new Line(in.readString(), in.readInt()));
    }
    OrderMode mode = MODES[in.readByte()];
    OrderStatus status = STATUSES[in.readByte()];
    String reason = in.readString();
    EmailStatus emailStatus = EMAIL_STATUSES[in.readByte()];
    long createdAt = in.readLong();
    List<Order.TimelineEntry> timeline = readTimeline(in);
    order = new Order(id, customerEmail, List.copyOf(items), mode, status, reason, emailStatus, createdAt, timeline,
        readTraceId(in));
  }

  /**
   * An order stored before orders carried a trace id ends here: read from the map, its value is a blob of its own,
   * so the read runs out of bytes rather than into another object's (the steps that carry an order end with it too).
   */
  private static String readTraceId(ObjectDataInput in) throws IOException {
    try {
      return in.readString();
    } catch (EOFException olderForm) {
      return null;
    }
  }

  static void writeTimeline(ObjectDataOutput out, List<Order.TimelineEntry> timeline) throws IOException {
    out.writeInt(timeline.size());
    for (Order.TimelineEntry entry : timeline) {
      out.writeString(entry.event());
      out.writeString(entry.node());
      out.writeLong(entry.at());
      out.writeString(entry.key());
    }
  }

  static List<Order.TimelineEntry> readTimeline(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<Order.TimelineEntry> timeline = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      timeline.add(new Order.TimelineEntry(in.readString(), in.readString(), in.readLong(), in.readString()));
    }
    return List.copyOf(timeline);
  }
}
