package io.orderbus.order;

import java.util.Map;

/** Stores an order as computed elsewhere: the backup side of {@link OrderUpdate} and {@link StoreOrderIfAbsent}. */
final class StoreOrder extends WithStoredOrder {
  /** For Hazelcast, which fills it in with {@link #readData}. */
  public StoreOrder() {
  }

  StoreOrder(StoredOrder order) {
    super(order);
  }

  @Override
  public StoredOrder process(Map.Entry<String, StoredOrder> entry) {
    entry.setValue(order);
    return null;
  }
}
