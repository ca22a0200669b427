package io.orderbus.order;

/** The path an order takes, as the client names it ({@code ?mode=async}, the default, or {@code ?mode=sync}). */
public enum OrderMode {
  /** Recorded, {@code OrderCreated} published durably, answered at once ({@code 202}). */
  ASYNC("async"),
  /** Inventory, then email, asked in turn; answered with the outcome ({@code 201}). */
  SYNC("sync");

  private final String wire;

  OrderMode(String wire) {
    this.wire = wire;
  }

  /** The name in requests, answers and stored orders. */
  public String wire() {
    return wire;
  }

  /** The mode named {@code wire}: async when null; null when it names no mode. */
  public static OrderMode parse(String wire) {
    if (wire == null) {
      return ASYNC;
    }
    for (OrderMode mode : values()) {
      if (mode.wire.equals(wire)) {
        return mode;
      }
    }
    return null;
  }
}
