package io.orderbus.messaging;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;

/**
 * An entry processor over a map of JSON strings that carries one JSON string: written as a string, not
 * through Java serialization. Subclasses need a public no-argument constructor (Hazelcast makes them so).
 */
public abstract class JsonStep implements EntryProcessor<String, String, String>, DataSerializable {
  protected String json;

  protected JsonStep() {
  }

  protected JsonStep(String json) {
    this.json = json;
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
