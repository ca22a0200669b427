package io.orderbus.node;

import java.util.logging.Level;

/**
 * The level of the per-hop log lines ({@link io.orderbus.messaging.Hops}): {@code fine}, hidden by the shipped
 * logging configuration, or {@code info}, shown with every other INFO line.
 */
public enum HopLogLevel {
  FINE(Level.FINE), INFO(Level.INFO);

  private final Level level;

  HopLogLevel(Level level) {
    this.level = level;
  }

  public Level level() {
    return level;
  }
}
