package io.orderbus.email;

import io.orderbus.messaging.JsonStep;

import java.util.Map;

/**
 * Records a sent email under its key unless one is recorded there already, in one step on the key's
 * partition; a claim (an SMTP node's, mid-send) or a may-have-been-sent mark is replaced. Answers null when
 * this email now stands,
 * else what was there first: the email sent before, or its cancellation (then nothing is recorded).
 */
final class RecordUnlessSent extends JsonStep {
  public RecordUnlessSent() {
  }

  RecordUnlessSent(String json) {
    super(json);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String before = entry.getValue();
    if (before == null || SentEmails.isClaim(before) || SentEmails.isMark(before)) {
      entry.setValue(json);
      return null;
    }
    return before;
  }
}
