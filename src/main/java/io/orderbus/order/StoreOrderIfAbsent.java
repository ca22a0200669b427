package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;
import io.orderbus.messaging.JsonStep;

import java.util.Map;

/**
 * Stores a new order unless one is stored under its id already, and answers that one (null when this one
 * now stands). A retry that resumes an order, or the sync path's guard recording an order whose node died,
 * never overwrites an order that has moved on.
 */
final class StoreOrderIfAbsent extends JsonStep {
  private transient boolean stored;

  public StoreOrderIfAbsent() {
  }

  StoreOrderIfAbsent(String json) {
    super(json);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    if (entry.getValue() != null) {
      return entry.getValue();
    }
    entry.setValue(json);
    stored = true;
    return null;
  }

  @Override
  public EntryProcessor<String, String, String> getBackupProcessor() {
    return stored ? new StoreOrder(json) : null;
  }
}
