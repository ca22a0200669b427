package io.orderbus.email;

import io.orderbus.messaging.JsonStep;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Cancels the email under a key in one step on the key's partition, unless it was sent: leaves a
 * cancellation that every later send finds (and refuses), so a late request cannot mail an order that
 * failed. A claim older than the claim lifetime is a node that died mid-send: it is cancelled too.
 * Answers null when the email is cancelled (now or before), else what stands: the sent email or a live claim.
 */
final class CancelUnlessSent extends JsonStep {
  public CancelUnlessSent() {
  }

  /** @param json {@code {"cancelledAt": now, "claimLifetime": ms}} */
  CancelUnlessSent(String json) {
    super(json);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String before = entry.getValue();
    if (before != null && SentEmails.isCancellation(before)) {
      return null;
    }
    JsonObject step = new JsonObject(json);
    if (before != null && SentEmails.isClaim(before)) {
      long claimedAt = new JsonObject(before).getLong("claimedAt");
      if (step.getLong("cancelledAt") - claimedAt <= step.getLong("claimLifetime")) {
        return before;
      }
    } else if (before != null) {
      return before;
    }
    entry.setValue(new JsonObject().put("cancelledAt", step.getLong("cancelledAt")).encode());
    return null;
  }
}
