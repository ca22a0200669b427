package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;

/** Stores an order's JSON as computed elsewhere: the backup side of {@link OrderUpdate}. */
final class StoreOrder implements EntryProcessor<String, String, String>, DataSerializable {
  private String json;

  public StoreOrder() {
  }

  StoreOrder(String json) {
    this.json = json;
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    entry.setValue(json);
    return null;
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
