package io.orderbus.node;

import java.util.Locale;

/** What a node can run; any node runs any set of them. */
public enum Role {
  GATEWAY, ORDER, INVENTORY, EMAIL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
