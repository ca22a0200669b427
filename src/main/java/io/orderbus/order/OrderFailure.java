package io.orderbus.order;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of the order service, with its {@link OrderContract} code. */
public final class OrderFailure extends DomainFailure {
  public OrderFailure(int code, String message) {
    super(code, message);
  }
}
