package io.orderbus.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A gateway guards its operator API with the admin token. The shipped default ({@code change-me}) and an
 * empty token are known to everyone, so a gateway starts with one only while nothing beyond this machine can
 * reach it: its HTTP listener and its cluster address (Hazelcast and the event bus) both on loopback. A node
 * without the gateway role serves no HTTP API and needs no token.
 */
final class AdminTokenPolicy {
  static final String SHIPPED_DEFAULT = "change-me";

  private AdminTokenPolicy() {
  }

  /** Throws, naming the listeners that are not on loopback, if this node may not start with its token. */
  static void check(Settings settings) {
    String token = settings.security().adminToken();
    if (!settings.roles().contains(Role.GATEWAY) || !(token.isBlank() || token.equals(SHIPPED_DEFAULT))) {
      return;
    }
    List<String> exposed = new java.util.ArrayList<>();
    if (!isLoopback(settings.http().host())) {
      exposed.add("httpHost " + settings.http().host());
    }
    if (!isLoopback(settings.cluster().host())) {
      exposed.add("clusterHost " + settings.cluster().host());
    }
    if (!exposed.isEmpty()) {
      throw new NodeConfig.InvalidConfigException("adminToken: " + (token.isBlank() ? "an empty token" : "the shipped"
          + " default token") + " is allowed only while every listener is on loopback, and " + String.join(" and ",
          exposed) + " is not: set a secret adminToken (ORDERBUS_ADMIN_TOKEN or --admin-token-file <file>)");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
