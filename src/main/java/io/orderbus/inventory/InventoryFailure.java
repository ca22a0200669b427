package io.orderbus.inventory;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of the inventory service, with its {@link InventoryContract} code. */
public final class InventoryFailure extends DomainFailure {
  public InventoryFailure(int code, String message) {
    // Out of stock is inventory's answer about itself; the other refusals are about the request.
    super(code, message, code == InventoryContract.OUT_OF_STOCK ? "inventory" : null, null);
  }
}
