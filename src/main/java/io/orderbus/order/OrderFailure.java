package io.orderbus.order;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of the order service, with its {@link OrderContract} code. */
public final class OrderFailure extends DomainFailure {
  private final boolean settledLater;

  public OrderFailure(int code, String message) {
    this(code, message, false);
  }

  /** @param settledLater the order's outcome is not known yet and is settled later: a retry should ask again */
  public OrderFailure(int code, String message, boolean settledLater) {
    super(code, message);
    this.settledLater = settledLater;
  }

  public boolean settledLater() {
    return settledLater;
  }
}
