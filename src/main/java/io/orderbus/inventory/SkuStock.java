package io.orderbus.inventory;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SKU's stock as the embedded store keeps it: the quantity available, and what each recent order did
 * to it. The marks make every change idempotent per order: an order's units are taken at most once and
 * given back at most once, whichever node asks and however often, and a give-back that overtakes its take
 * leaves a mark so the late take takes nothing. Marks older than {@link #MARK_RETENTION_MS} are dropped:
 * a step of one order delayed longer than that (handlers time out after a minute) is not recognised.
 *
 * <p>Changed only by the processors in {@link StockProcessors}, on the partition that owns the SKU.
 */
public final class SkuStock implements DataSerializable {
  static final long MARK_RETENTION_MS = 5 * 60_000;

  private int available;
  /** Order id to what it did, oldest first. */
  private LinkedHashMap<String, Mark> marks = new LinkedHashMap<>();

  public SkuStock() {
  }

  public SkuStock(int available) {
    this.available = available;
  }

  public int available() {
    return available;
  }

  /** Takes {@code quantity} for the order once; the outcome of the first time if asked again. */
  Outcome take(String orderId, int quantity, long now) {
    forgetBefore(now - MARK_RETENTION_MS);
    Mark mark = marks.get(orderId);
    if (mark != null) {
      return mark.taken ? Outcome.TAKEN : Outcome.GIVEN_BACK;
    }
    if (available < quantity) {
      return Outcome.SHORT;
    }
    available -= quantity;
    marks.put(orderId, new Mark(true, now));
    return Outcome.TAKEN;
  }

  /**
   * Gives back what the order took, once. With no mark the take is either still to come (leave a mark so
   * it takes nothing) or older than the marks kept ({@code taken} says the order's record is RESERVED).
   */
  boolean giveBack(String orderId, int quantity, boolean taken, long now) {
    forgetBefore(now - MARK_RETENTION_MS);
    Mark mark = marks.get(orderId);
    boolean give = mark == null ? taken : mark.taken;
    if (give) {
      available += quantity;
    }
    if (mark == null || mark.taken) {
      marks.put(orderId, new Mark(false, mark == null ? now : mark.at));
    }
    return give;
  }

  void set(int available) {
    this.available = available;
  }

  int marks() {
    return marks.size();
  }

  private void forgetBefore(long cutoff) {
    for (Iterator<Mark> it = marks.values().iterator(); it.hasNext(); ) {
      if (it.next().at >= cutoff) {
        return;
      }
      it.remove();
    }
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(available);
    out.writeInt(marks.size());
    for (Map.Entry<String, Mark> mark : marks.entrySet()) {
      out.writeString(mark.getKey());
      out.writeBoolean(mark.getValue().taken);
      out.writeLong(mark.getValue().at);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    available = in.readInt();
    int count = in.readInt();
    marks = new LinkedHashMap<>(Math.max(16, count * 2));
    for (int i = 0; i < count; i++) {
      marks.put(in.readString(), new Mark(in.readBoolean(), in.readLong()));
    }
  }

  @Override
  public String toString() {
    return "SkuStock{available=" + available + ", marks=" + marks.size() + "}";
  }

  enum Outcome { TAKEN, SHORT, GIVEN_BACK }

  /** {@code taken} false: given back (or a give-back that came first). {@code at}: the caller's clock. */
  private record Mark(boolean taken, long at) {
  }
}
