package io.orderbus.order;

/** Where an order stands. Only {@link #ACCEPTED} changes; the others are final. */
public enum OrderStatus {
  /** Recorded; its outcome is not known yet. */
  ACCEPTED,
  /** Stock reserved (and, on the sync path, the confirmation sent). */
  CONFIRMED,
  /** Not enough stock, or an unknown SKU: nothing is held. */
  REJECTED,
  /** Sync path only: a service was down or slow; nothing is held and no confirmation goes out. */
  FAILED;

  public boolean isFinal() {
    return this != ACCEPTED;
  }
}
