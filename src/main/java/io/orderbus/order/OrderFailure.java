package io.orderbus.order;

import io.orderbus.messaging.DomainFailure;

/**
 * A domain failure of the order service, with its {@link OrderContract} code; the service at fault follows from
 * the code ({@link OrderContract#serviceAtFault}).
 */
public final class OrderFailure extends DomainFailure {
  private final boolean settledLater;

  public OrderFailure(int code, String message) {
    this(code, message, false, null);
  }

  /** A failure that passes: a retry after {@code retryAfterSeconds} may succeed. */
  public OrderFailure(int code, String message, int retryAfterSeconds) {
    this(code, message, false, retryAfterSeconds);
  }

  /** @param settledLater the order's outcome is not known yet and is settled later: a retry should ask again */
  public OrderFailure(int code, String message, boolean settledLater) {
    this(code, message, settledLater, null);
  }

  private OrderFailure(int code, String message, boolean settledLater, Integer retryAfterSeconds) {
    super(code, message, OrderContract.serviceAtFault(code), retryAfterSeconds);
    this.settledLater = settledLater;
  }

  public boolean settledLater() {
    return settledLater;
  }

  /** The same failure, told otherwise: {@code message} instead of this one's text. */
  public OrderFailure withMessage(String message, boolean settledLater) {
    return new OrderFailure(code(), message, settledLater, retryAfterSeconds());
  }
}
