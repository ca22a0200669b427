package io.orderbus.node;

import io.orderbus.gateway.GatewayLimits;

import java.time.Duration;

/**
 * The gateway's HTTP listener and the limits it puts on clients.
 *
 * @param port          0 for any free port
 * @param streamRefresh how often an open order stream re-reads its order
 */
public record HttpSettings(String host, int port, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
                           int maxConnections, int maxOrderStreams, Duration streamRefresh) {

  static HttpSettings read(SettingsReader in) {
    return new HttpSettings(in.text("httpHost"), in.number("httpPort"), in.duration("httpIdleTimeout"),
        in.duration("httpHeaderTimeout"), in.duration("httpBodyTimeout"), in.number("httpMaxConnections"),
        in.number("maxOrderStreams"), in.duration("streamRefresh"));
  }

  /** The limits as the gateway takes them; refused (naming the setting) unless each is positive. */
  public GatewayLimits limits() {
    try {
      return new GatewayLimits(idleTimeout, headerTimeout, bodyTimeout, maxConnections, maxOrderStreams);
    } catch (IllegalArgumentException e) {
      throw new NodeConfig.InvalidConfigException(e.getMessage());
    }
  }
}
