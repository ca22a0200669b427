package io.orderbus.node;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.messaging.Backoff;
import io.orderbus.messaging.DeliverySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
    try {
      // Before anything of Hazelcast loads: its clock reads the offset once.
      ClockSkew.apply(config.duration("clockSkew"));
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(ClusterConfigFactory.create(config));
    String host = ClusterConfigFactory.resolve(config.string("clusterHost"));
    String publicHost = config.string("clusterPublicHost").isBlank() ? host : config.string("clusterPublicHost");
    EventBusOptions eventBus = new EventBusOptions()
        .setHost(host).setPort(config.integer("eventBusPort")).setClusterPublicHost(publicHost);
    try {
      mutualTls(eventBus, config);
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus);
    return Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered()
        .map(vertx -> new ClusteredVertx(vertx, clusterManager));
  }

  /**
   * With a key, its certificate and a CA (PEM files), the event bus speaks TLS both ways: a node presents
   * its certificate and accepts only peers whose certificate the CA signed, so a process that reached the
   * event-bus port without one can neither send to the cluster nor be sent to. All three or none.
   */
  static void mutualTls(EventBusOptions eventBus, NodeConfig config) {
    String key = config.string("eventBusKeyPath");
    String cert = config.string("eventBusCertPath");
    String ca = config.string("eventBusCaPath");
    if (key.isBlank() && cert.isBlank() && ca.isBlank()) {
      return;
    }
    if (key.isBlank() || cert.isBlank() || ca.isBlank()) {
      throw new NodeConfig.InvalidConfigException("eventBusKeyPath, eventBusCertPath and eventBusCaPath: give all three"
          + " (event-bus TLS with mutual authentication) or none");
    }
    for (String path : java.util.List.of(key, cert, ca)) {
      if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
        throw new NodeConfig.InvalidConfigException("event-bus TLS: cannot read '" + path + "'");
      }
    }
    eventBus.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(key).setCertPath(cert))
        .setTrustOptions(new PemTrustOptions().addCertPath(ca))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  /** Durable-delivery tuning from the node configuration. */
  public static DeliverySettings deliverySettings(NodeConfig config) {
    java.util.Map<String, Integer> groupPrefetch = new java.util.HashMap<>();
    for (String item : config.list("groupPrefetch")) {
      int eq = item.indexOf('=');
      try {
        groupPrefetch.put(item.substring(0, eq).trim(), Integer.parseInt(item.substring(eq + 1).trim()));
      } catch (RuntimeException e) {
        throw new NodeConfig.InvalidConfigException("groupPrefetch: '" + item + "' is not <group>=<number>");
      }
    }
    try {
      return new DeliverySettings(config.integer("prefetch"), groupPrefetch, config.integer("consumerConcurrency"),
          config.duration("handlerTimeout"), config.duration("deliveryLease"), config.integer("maxAttempts"),
          new Backoff(config.duration("retryBackoff"), config.duration("retryBackoffMax")),
          config.duration("deadLetterAfter"), config.duration("redeliveryInterval"), config.integer("maxBacklog"));
    } catch (IllegalArgumentException e) {
      throw new NodeConfig.InvalidConfigException(e.getMessage());
    }
  }
}
