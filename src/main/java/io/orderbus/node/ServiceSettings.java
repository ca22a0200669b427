package io.orderbus.node;

import java.time.Duration;

/**
 * How the services wait on one another: every event-bus request, the sync path's circuit breaker, and the
 * delay of the welcome email after a sign-up.
 *
 * @param circuitMaxFailures  outages that open the circuit of one order node to one service
 * @param circuitResetTimeout how long an open circuit fails fast before it tries the service again
 */
public record ServiceSettings(Duration requestTimeout, int circuitMaxFailures, Duration circuitResetTimeout,
                              Duration welcomeDelay) {

  static ServiceSettings read(SettingsReader in) {
    return new ServiceSettings(in.duration("requestTimeout"), in.number("circuitMaxFailures"),
        in.duration("circuitResetTimeout"), in.duration("welcomeDelay"));
  }
}
