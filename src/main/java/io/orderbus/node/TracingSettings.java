package io.orderbus.node;

/**
 * How a node reports what it does for a request, beyond the trace id every log line about one carries.
 *
 * @param hopLog the level of the one line per order per hop (gateway answer, order stored, stock reserved, email
 *               sent, order confirmed)
 */
public record TracingSettings(HopLogLevel hopLog) {

  static TracingSettings read(SettingsReader in) {
    return new TracingSettings(in.oneOf("hopLog", HopLogLevel.class));
  }
}
