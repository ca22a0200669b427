package io.orderbus.order;

/** Whether an order's email went out. {@link #SENT} is never replaced. */
public enum EmailStatus {
  PENDING,
  SENT,
  /** Sync path: the confirmation was cancelled for good (the order failed). */
  FAILED
}
