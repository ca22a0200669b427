package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Stores a new order unless one is stored under its id already, and answers that one (null when this one
 * now stands). A retry that resumes an order, or the sync path's guard recording an order whose node died,
 * never overwrites an order that has moved on.
 */
final class StoreOrderIfAbsent extends WithStoredOrder {
  private transient boolean stored;

  /** For Hazelcast, which fills it in with {@link #readData}. */
  public StoreOrderIfAbsent() {
  }

  StoreOrderIfAbsent(StoredOrder order) {
    super(order);
  }

  @Override
  public StoredOrder process(Map.Entry<String, StoredOrder> entry) {
    if (entry.getValue() != null) {
      return entry.getValue();
    }
    entry.setValue(order);
    stored = true;
    return null;
  }

  @Override
  public EntryProcessor<String, StoredOrder, StoredOrder> getBackupProcessor() {
    return stored ? new StoreOrder(order) : null;
  }
}
