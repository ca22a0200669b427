package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One change to a stored order, applied where the order lives so that concurrent changes (stock
 * outcome and email sent arrive independently, on any node) never overwrite each other.
 *
 * <p>Idempotent: a change whose timeline key is already there is skipped, so a redelivered event changes
 * nothing. A final status (CONFIRMED, REJECTED, FAILED) is never replaced. Returns the order's JSON after
 * the change, or null if there is no such order.
 */
final class OrderUpdate implements EntryProcessor<String, String, String> {
  private static final long serialVersionUID = 1L;

  private final String status;
  private final String reason;
  private final String emailStatus;
  private final String timelineJson;
  /** The order as this change left it on the primary: what the backup stores, without redoing the change. */
  private transient String updated;

  /**
   * @param status      the new status, or null to keep it
   * @param emailStatus the new email status, or null to keep it
   * @param entries     timeline entries to add; the first one's key decides whether this change was applied before
   */
  OrderUpdate(String status, String reason, String emailStatus, Order.TimelineEntry... entries) {
    this.status = status;
    this.reason = reason;
    this.emailStatus = emailStatus;
    JsonArray array = new JsonArray();
    for (Order.TimelineEntry entry : entries) {
      array.add(entry.toJson());
    }
    this.timelineJson = array.encode();
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    if (entry.getValue() == null) {
      return null;
    }
    JsonObject order = new JsonObject(entry.getValue());
    JsonArray timeline = order.getJsonArray("timeline");
    JsonArray additions = new JsonArray(timelineJson);
    String key = additions.isEmpty() ? null : additions.getJsonObject(0).getString("key");
    for (int i = 0; key != null && i < timeline.size(); i++) {
      if (key.equals(timeline.getJsonObject(i).getString("key"))) {
        return entry.getValue();
      }
    }
    if (status != null && Order.ACCEPTED.equals(order.getString("status"))) {
      order.put("status", status);
      if (reason != null) {
        order.put("reason", reason);
      }
    }
    if (emailStatus != null && !"SENT".equals(order.getString("emailStatus"))) {
      order.put("emailStatus", emailStatus);
    }
    additions.forEach(timeline::add);
    updated = order.encode();
    entry.setValue(updated);
    return updated;
  }

  /** The backup copies the result (no JSON parsed twice); nothing to copy if nothing changed. */
  @Override
  public EntryProcessor<String, String, String> getBackupProcessor() {
    return updated == null ? null : new StoreOrder(updated);
  }
}
