package io.orderbus.order;

import io.orderbus.messaging.JsonStep;

import java.util.Map;

/** Stores an order's JSON as computed elsewhere: the backup side of {@link OrderUpdate}. */
final class StoreOrder extends JsonStep {
  public StoreOrder() {
  }

  StoreOrder(String json) {
    super(json);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    entry.setValue(json);
    return null;
  }
}
