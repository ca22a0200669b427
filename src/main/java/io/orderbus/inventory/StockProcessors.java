package io.orderbus.inventory;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * The changes to one SKU's {@link SkuStock}, each run atomically by the partition that owns the SKU (and
 * again on its backup). Results are plain integers: the quantity available after the change, or one of the
 * negative codes below. The caller's clock ages the marks, so a SKU's replicas age them alike.
 */
final class StockProcessors {
  static final int SHORT = -1;
  static final int GIVEN_BACK = -2;
  static final int UNKNOWN = -3;

  private StockProcessors() {
  }

  /** Takes an order's quantity: the level after, {@link #SHORT}, {@link #GIVEN_BACK} or {@link #UNKNOWN}. */
  static final class Take extends OrderStep {
    public Take() {
    }

    Take(String orderId, int quantity, long now) {
      super(orderId, quantity, now);
    }

    @Override
    public Integer process(Map.Entry<String, SkuStock> entry) {
      SkuStock stock = entry.getValue();
      if (stock == null) {
        return UNKNOWN;
      }
      SkuStock.Outcome outcome = stock.take(orderId, quantity, now);
      entry.setValue(stock);
      return switch (outcome) {
        case TAKEN -> stock.available();
        case SHORT -> SHORT;
        case GIVEN_BACK -> GIVEN_BACK;
      };
    }
  }

  /** Gives an order's quantity back once: the level after, or {@link #UNKNOWN}. */
  static final class GiveBack extends OrderStep {
    private boolean taken;

    public GiveBack() {
    }

    GiveBack(String orderId, int quantity, boolean taken, long now) {
      super(orderId, quantity, now);
      this.taken = taken;
    }

    @Override
    public Integer process(Map.Entry<String, SkuStock> entry) {
      SkuStock stock = entry.getValue();
      if (stock == null) {
        return UNKNOWN;
      }
      stock.giveBack(orderId, quantity, taken, now);
      entry.setValue(stock);
      return stock.available();
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      super.writeData(out);
      out.writeBoolean(taken);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      super.readData(in);
      taken = in.readBoolean();
    }
  }

  /**
   * Sets the level (creating the SKU), keeping the marks: an operator's count replaces the number only.
   * With {@code onlyIfNew} (seeding) an existing SKU is left alone. Answers the level after.
   */
  static final class SetLevel implements EntryProcessor<String, SkuStock, Integer>, DataSerializable {
    private int available;
    private boolean onlyIfNew;

    public SetLevel() {
    }

    SetLevel(int available, boolean onlyIfNew) {
      this.available = available;
      this.onlyIfNew = onlyIfNew;
    }

    @Override
    public Integer process(Map.Entry<String, SkuStock> entry) {
      if (onlyIfNew && entry.getValue() != null) {
        return entry.getValue().available();
      }
      SkuStock stock = entry.getValue() == null ? new SkuStock() : entry.getValue();
      stock.set(available);
      entry.setValue(stock);
      return available;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(available);
      out.writeBoolean(onlyIfNew);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      available = in.readInt();
      onlyIfNew = in.readBoolean();
    }
  }

  /** Reads the level without copying the marks; null for an unknown SKU. */
  static final class ReadLevel implements EntryProcessor<String, SkuStock, Integer>, ReadOnly, DataSerializable {
    public ReadLevel() {
    }

    @Override
    public Integer process(Map.Entry<String, SkuStock> entry) {
      return entry.getValue() == null ? null : entry.getValue().available();
    }

    @Override
    public EntryProcessor<String, SkuStock, Integer> getBackupProcessor() {
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
  }

  /** What every per-order step carries. */
  abstract static class OrderStep implements EntryProcessor<String, SkuStock, Integer>, DataSerializable {
    protected String orderId;
    protected int quantity;
    protected long now;

    OrderStep() {
    }

    OrderStep(String orderId, int quantity, long now) {
      this.orderId = orderId;
      this.quantity = quantity;
      this.now = now;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(orderId);
      out.writeInt(quantity);
      out.writeLong(now);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      orderId = in.readString();
      quantity = in.readInt();
      now = in.readLong();
    }
  }
}
