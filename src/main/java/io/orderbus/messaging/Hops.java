package io.orderbus.messaging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per step an order takes on its way through the services (the gateway answered, the order was
 * stored and published, stock reserved, the email sent, the order confirmed), on the logger {@code io.orderbus.hops},
 * with the order's id; {@link TraceLogFormatter} adds the request's trace id. Grep the logs of every node for either
 * and the order's path shows.
 *
 * <p>At {@link Level#FINE} unless a node is told otherwise ({@code hopLog: info}): at a thousand orders a second,
 * five console lines per order would cost more CPU than some of the steps they describe, so by default a step costs
 * one level check and no string is built.
 */
public final class Hops {
  /** Held here: JUL keeps loggers weakly, and a level set on one that was collected would be lost. */
  private static final Logger LOG = Logger.getLogger("io.orderbus.hops");
  private static volatile Level level = Level.FINE;

  private Hops() {
  }

  /** The level of every hop line from now on in this JVM. */
  public static void level(Level newLevel) {
    level = newLevel;
  }

  /** Logs that order {@code orderId} took {@code step}, if hop lines are logged. */
  public static void log(String orderId, String step) {
    Level at = level;
    if (LOG.isLoggable(at)) {
      LOG.log(at, "order " + orderId + ": " + step);
    }
  }

  /** Logs that order {@code orderId} took {@code step} and is now {@code state}, if hop lines are logged. */
  public static void log(String orderId, String step, Object state) {
    Level at = level;
    if (LOG.isLoggable(at)) {
      LOG.log(at, "order " + orderId + ": " + step + ", now " + state);
    }
  }
}
