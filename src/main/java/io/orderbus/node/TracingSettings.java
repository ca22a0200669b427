package io.orderbus.node;

/**
 * How a node reports what it does for a request, beyond the trace id every log line about one carries.
 *
 * @param hopLog the level of the one line per order per hop (gateway answer, order stored, stock reserved, email
 *               sent, order confirmed)
 * @param otlpEndpoint an OpenTelemetry collector's OTLP/HTTP base URL ({@code http://host:4318}) to export spans to;
 *                     empty for no OpenTelemetry at all
 */
public record TracingSettings(HopLogLevel hopLog, String otlpEndpoint) {

  static TracingSettings read(SettingsReader in) {
    return new TracingSettings(in.oneOf("hopLog", HopLogLevel.class), in.text("otlpEndpoint"));
  }
}
