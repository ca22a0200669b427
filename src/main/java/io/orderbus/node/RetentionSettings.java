package io.orderbus.node;

import java.time.Duration;

/**
 * What the cluster keeps, and for how long: orders (with their reservations and sent mail) after their last
 * change, and dead letters, at most {@code maxDeadLetters} per node.
 */
public record RetentionSettings(Duration orders, Duration deadLetters, int maxDeadLetters) {

  static RetentionSettings read(SettingsReader in) {
    return new RetentionSettings(in.duration("orderRetention"), in.duration("deadLetterRetention"),
        in.number("maxDeadLetters"));
  }
}
