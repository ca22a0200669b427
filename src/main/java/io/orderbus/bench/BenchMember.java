package io.orderbus.bench;

import io.orderbus.messaging.DeliveryVerticle;
import io.orderbus.messaging.DurableDelivery;
import io.orderbus.messaging.GroupSpec;
import io.orderbus.node.Cli;
import io.orderbus.node.ClusteredVertx;
import io.orderbus.node.Node;
import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeMetrics;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Future;

import picocli.CommandLine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code orderbus bench-member}: the consuming JVM of the durable benchmark. A cluster member whose only
 * job is to be the {@code bench} group: it acknowledges every event at once, so what is measured is the
 * delivery path, not a handler.
 */
public final class BenchMember {
  static final GroupSpec GROUP = new GroupSpec("bench", Set.of(DurableBench.TOPIC));

  private BenchMember() {
  }

  /** {@code orderbus bench-member}: started by {@code bench}, not by hand, so not listed. */
  @CommandLine.Command(name = "bench-member", hidden = true, mixinStandardHelpOptions = true, abbreviateSynopsis = true,
      versionProvider = VersionProvider.class, sortOptions = false,
      description = "The consuming JVM of the durable benchmark (started by 'bench').")
  public static final class Command extends NodeSettingsCommand {
    @Override
    public Integer call() throws Exception {
      run(settings());
      return 0;
    }
  }

  private static void run(List<String> flags) throws Exception {
    NodeConfig config = NodeConfig.load(flags, System.getenv());
    ClusteredVertx clustered = ClusteredVertx.start(config).await(120, TimeUnit.SECONDS);
    // Metered as a node is, so the figures include what metering costs.
    DurableDelivery delivery = new DurableDelivery(clustered.vertx(), clustered.hazelcast(), config.settings().nodeName(),
        ClusteredVertx.deliverySettings(config), new NodeMetrics(config.settings().nodeName()).registry());
    clustered.vertx().deployVerticle(new DeliveryVerticle(delivery))
        .compose(id -> delivery.subscribe(GROUP, event -> Future.succeededFuture()))
        // The baseline: a plain request-reply to this JVM, nothing stored.
        .compose(v -> clustered.vertx().eventBus().consumer(DurableBench.BARE_ADDRESS, m -> m.reply("ack")).completion())
        .await(60, TimeUnit.SECONDS);
    System.out.println(Node.READY_LINE + " node=" + config.settings().nodeName() + " http=-");
    Cli.exitWithParent();
    Thread.currentThread().join();
  }
}
