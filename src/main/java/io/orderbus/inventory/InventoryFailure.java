package io.orderbus.inventory;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of the inventory service, with its {@link InventoryContract} code. */
public final class InventoryFailure extends DomainFailure {
  public InventoryFailure(int code, String message) {
    super(code, message);
  }
}
