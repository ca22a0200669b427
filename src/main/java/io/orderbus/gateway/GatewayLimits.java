package io.orderbus.gateway;

import java.time.Duration;

/**
 * What a client may hold of one gateway: how long a connection may sit idle, how long a request's headers and
 * body may take to arrive, how many connections and how many order-event streams the node serves at once.
 * Each is a setting (see the configuration table in docs/operations.md).
 *
 * @param idleTimeout     no byte either way for this long: the connection is closed (a client gone silently)
 * @param headerTimeout   a request's headers must be in within this of the connection opening, or of the
 *                        idle timeout's end after the previous response (see {@link #nextRequestDeadline()})
 * @param bodyTimeout     a request's body must be in within this of its headers, else {@code 408}
 * @param maxConnections  connections open at once; one more is closed as it opens
 * @param maxOrderStreams {@code /orders/{id}/events} streams open at once on this node; one more is {@code 503}
 */
public record GatewayLimits(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                            int maxOrderStreams) {

  /** Throws {@link IllegalArgumentException} naming the setting at fault. */
  public GatewayLimits {
    positive("httpIdleTimeout", idleTimeout);
    positive("httpHeaderTimeout", headerTimeout);
    positive("httpBodyTimeout", bodyTimeout);
    if (maxConnections < 1) {
      throw new IllegalArgumentException("httpMaxConnections must be at least 1");
    }
    if (maxOrderStreams < 1) {
      throw new IllegalArgumentException("maxOrderStreams must be at least 1");
    }
  }

  /**
   * How long after a response the next request's headers must be in: a kept-alive connection may wait for it as
   * long as it may be idle, then its headers get the usual deadline. (The idle timeout alone closes a silent one.)
   */
  Duration nextRequestDeadline() {
    return idleTimeout.plus(headerTimeout);
  }

  /**
   * The keep-alive timeout told to clients ({@code Keep-Alive: timeout=}, whole seconds): two thirds of the idle
   * timeout, so that a client's pool retires a connection well before the server closes it as idle, even on a
   * busy machine; at least one second (a client reads 0 as "do not reuse").
   */
  Duration advertisedKeepAlive() {
    return Duration.ofSeconds(Math.max(1, idleTimeout.multipliedBy(2).dividedBy(3).toSeconds()));
  }

  /**
   * How often an open event stream writes a comment: often enough that a stream with nothing to say is
   * never idle long enough to be closed, at most once per {@code refresh}.
   */
  Duration keepAlive(Duration refresh) {
    Duration half = idleTimeout.dividedBy(2);
    Duration every = refresh.compareTo(half) < 0 ? refresh : half;
    // A timer needs a whole millisecond.
    return every.toMillis() < 1 ? Duration.ofMillis(1) : every;
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be longer than zero");
    }
  }
}
