package io.orderbus.order;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;

/** A step on the orders map that carries a whole order, written in its binary form. */
abstract class WithStoredOrder implements EntryProcessor<String, StoredOrder, StoredOrder>, DataSerializable {
  protected StoredOrder order;

  protected WithStoredOrder() {
  }

  protected WithStoredOrder(StoredOrder order) {
    this.order = order;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    order.writeData(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    order = new StoredOrder();
    order.readData(in);
  }
}
