package io.orderbus.email;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Records a sent email under its key unless one is recorded there already, in one step on the key's
 * partition; a claim (an SMTP node's, mid-send) is replaced. Answers null when this email now stands,
 * else the email that was there first.
 */
final class RecordUnlessSent implements EntryProcessor<String, String, String>, DataSerializable {
  private String json;

  public RecordUnlessSent() {
  }

  RecordUnlessSent(String json) {
    this.json = json;
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String before = entry.getValue();
    if (before == null || SentEmails.isClaim(before)) {
      entry.setValue(json);
      return null;
    }
    return before;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(json);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    json = in.readString();
  }
}
