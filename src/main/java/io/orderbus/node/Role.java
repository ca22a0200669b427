package io.orderbus.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a node can run; any node runs any set of them. */
public enum Role {
  GATEWAY, ORDER, INVENTORY, EMAIL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static List<Role> parse(List<String> names) {
    if (names.isEmpty()) {
      throw new NodeConfig.InvalidConfigException("roles: give at least one of gateway, order, inventory, email");
    }
    List<Role> roles = new ArrayList<>();
    for (String name : names) {
      try {
        Role role = valueOf(name.trim().toUpperCase(Locale.ROOT));
        if (!roles.contains(role)) {
          roles.add(role);
        }
      } catch (IllegalArgumentException e) {
        throw new NodeConfig.InvalidConfigException("roles: unknown role '" + name + "' (use gateway, order, inventory, email)");
      }
    }
    return roles;
  }
}
