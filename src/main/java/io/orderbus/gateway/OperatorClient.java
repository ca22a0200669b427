package io.orderbus.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;

/**
 * How a program of this project (a benchmark, the chaos run, a test) calls the gateway's operator routes: with the
 * admin token on every request, as {@link GatewayVerticle} requires there.
 */
public final class OperatorClient {
  private OperatorClient() {
  }

  /**
   * {@code client} as an operator: every request sent through the returned client carries {@code Authorization:
   * Bearer <adminToken>}. It shares {@code client}'s connections (and closing either closes both); {@code client}
   * itself still sends no token, so a load generator's requests stay as they were.
   */
  public static WebClient of(WebClient client, String adminToken) {
    return WebClientSession.create(client).addHeader(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + adminToken);
  }
}
