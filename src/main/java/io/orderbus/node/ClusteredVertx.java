package io.orderbus.node;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.messaging.DeliverySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A Vert.x joined to the cluster a configuration names: Hazelcast from {@code cluster.xml} plus this
 * node's address and members, and the event bus bound to the same host.
 */
public record ClusteredVertx(Vertx vertx, HazelcastClusterManager clusterManager) {

  public static Future<ClusteredVertx> start(NodeConfig config) {
    return start(config.settings());
  }

  static Future<ClusteredVertx> start(Settings settings) {
    ClusterSettings cluster = settings.cluster();
    try {
      // Before anything of Hazelcast loads: its clock reads the offset once.
      ClockSkew.apply(cluster.clockSkew());
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(ClusterConfigFactory.create(settings));
    String host = ClusterConfigFactory.resolve(cluster.host());
    String publicHost = cluster.publicHost().isBlank() ? host : cluster.publicHost();
    EventBusOptions eventBus = new EventBusOptions()
        .setHost(host).setPort(cluster.eventBusPort()).setClusterPublicHost(publicHost);
    try {
      mutualTls(eventBus, settings.security().eventBusTls());
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus);
    VertxBuilder builder = Vertx.builder();
    Telemetry telemetry;
    try {
      telemetry = Telemetry.configure(builder, options, settings.tracing().otlpEndpoint(), settings.name());
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    return builder.with(options).withClusterManager(clusterManager).buildClustered()
        .map(vertx -> {
          if (telemetry != null) {
            telemetry.closeWith(vertx);
          }
          return new ClusteredVertx(vertx, clusterManager);
        });
  }

  /**
   * With a key, its certificate and a CA (PEM files), the event bus speaks TLS both ways: a node presents
   * its certificate and accepts only peers whose certificate the CA signed, so a process that reached the
   * event-bus port without one can neither send to the cluster nor be sent to. All three or none.
   */
  static void mutualTls(EventBusOptions eventBus, EventBusTls tls) {
    if (tls.none()) {
      return;
    }
    if (!tls.complete()) {
      throw new NodeConfig.InvalidConfigException("eventBusKeyPath, eventBusCertPath and eventBusCaPath: give all three"
          + " (event-bus TLS with mutual authentication) or none");
    }
    for (String path : java.util.List.of(tls.keyPath(), tls.certPath(), tls.caPath())) {
      if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
        throw new NodeConfig.InvalidConfigException("event-bus TLS: cannot read '" + path + "'");
      }
    }
    eventBus.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(tls.keyPath()).setCertPath(tls.certPath()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  /** Durable-delivery tuning from the node configuration. */
  public static DeliverySettings deliverySettings(NodeConfig config) {
    return config.settings().delivery().durable();
  }
}
