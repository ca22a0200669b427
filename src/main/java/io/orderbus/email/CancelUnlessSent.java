package io.orderbus.email;

import io.orderbus.messaging.JsonStep;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Cancels the email under a key in one step on the key's partition, unless a send of it began: leaves a
 * cancellation that every later send finds (and refuses), so a late request cannot mail an order that
 * failed. A claim (live, or expired because its node died mid-send) or a may-have-been-sent mark is left as
 * it is: the server may have the mail. Answers null when the email is cancelled (now or before), else what
 * stands: the sent email, a claim or a mark.
 */
final class CancelUnlessSent extends JsonStep {
  public CancelUnlessSent() {
  }

  /**
   * @param json {@code {"cancelledAt": now, "claimLifetime": ms}}. The lifetime is not read here any more; it stays
   *             for a partition owner of the previous version, whose processor still reads it.
   */
  CancelUnlessSent(String json) {
    super(json);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String before = entry.getValue();
    if (before != null && SentEmails.isCancellation(before)) {
      return null;
    }
    if (before != null) {
      return before;
    }
    entry.setValue(new JsonObject().put("cancelledAt", new JsonObject(json).getLong("cancelledAt")).encode());
    return null;
  }
}
