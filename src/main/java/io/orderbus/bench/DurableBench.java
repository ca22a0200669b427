package io.orderbus.bench;

import io.orderbus.messaging.DeliverySettings;
import io.orderbus.messaging.DeliveryVerticle;
import io.orderbus.messaging.DurableDelivery;
import io.orderbus.node.ChildJvm;
import io.orderbus.node.Cli;
import io.orderbus.node.ClusteredVertx;
import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeMetrics;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code orderbus bench [--events N] [--warmup N] [--window N] [--payload-bytes N]}: the durable path
 * alone across two JVMs. This JVM publishes to group {@code bench}; a second JVM it starts
 * ({@link BenchMember}) handles and acknowledges. Measured from {@code publish} to the pending entry's
 * removal after the acknowledgement, with at most {@code window} events unacknowledged, after a warm-up.
 */
public final class DurableBench {
  static final String TOPIC = "BenchEvent";
  static final String BARE_ADDRESS = "bench.bare";

  private final int events;
  private final int warmup;
  private final int window;
  private final int rounds;
  private final String payload;
  private boolean bare;
  private Context context;
  private DurableDelivery delivery;
  private long[] startedAt;
  private Histogram histogram;
  private int published;
  private int acknowledged;
  private int total;
  private Promise<Void> done;

  private DurableBench(int events, int warmup, int window, int payloadBytes, int rounds) {
    this.events = events;
    this.warmup = warmup;
    this.window = window;
    this.rounds = rounds;
    this.payload = "x".repeat(Math.max(0, payloadBytes - 40));
  }

  /**
   * {@code orderbus bench}: this benchmark when no kind is named, and the kinds ({@code tradeoffs}, {@code spike},
   * {@code orders}) as subcommands.
   */
  @CommandLine.Command(name = "bench", header = "Benchmarks; without a kind, durable delivery across 2 JVMs.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = {"Without a kind: durable delivery alone across 2 JVMs, msg/s and ack latency"
          + " p50/p99 against a bare request-reply."},
      subcommands = {TradeoffBench.Command.class, SpikeBench.Command.class, OrderBench.Command.class})
  public static final class Command extends NodeSettingsCommand {
    @Option(names = "--events", paramLabel = "N", defaultValue = "300000",
        description = "events per round (default: ${DEFAULT-VALUE})")
    int events;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "400000",
        description = "events of warm-up (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--window", paramLabel = "N", defaultValue = "512",
        description = "events in flight (default: ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--payload-bytes", paramLabel = "N", defaultValue = "200",
        description = "size of an event (default: ${DEFAULT-VALUE})")
    int payloadBytes;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "rounds of each, medians compared (default: ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
      return new DurableBench(events, warmup, window, payloadBytes, rounds).start(settings());
    }
  }

  private int start(List<String> flags) throws Exception {
    int localPort = Cli.freePort();
    int memberPort = Cli.freePort();
    String members = "127.0.0.1:" + localPort + ",127.0.0.1:" + memberPort;
    String clusterName = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> common = new ArrayList<>(List.of("--cluster-name", clusterName, "--cluster-host", "127.0.0.1",
        "--members", members, "--max-backlog", String.valueOf(Integer.MAX_VALUE),
        // Both JVMs dispatch, each to a share of the member's credit: give the producer's share the window.
        "--prefetch", String.valueOf(2 * window)));
    common.addAll(flags);

    ChildJvm member = startMember(common, memberPort);
    try {
      NodeConfig config = NodeConfig.load(concat(common, List.of("--node-name", "bench-producer",
          "--cluster-port", String.valueOf(localPort))), System.getenv());
      ClusteredVertx clustered = ClusteredVertx.start(config).await(120, TimeUnit.SECONDS);
      DeliverySettings settings = ClusteredVertx.deliverySettings(config);
      // Metered as a node is, so the figures include what metering costs.
      delivery = new DurableDelivery(clustered.vertx(), clustered.hazelcast(), "bench-producer", settings,
          new NodeMetrics("bench-producer").registry());
      clustered.vertx().deployVerticle(new DeliveryVerticle(delivery)).await(60, TimeUnit.SECONDS);
      delivery.declare(BenchMember.GROUP).await(30, TimeUnit.SECONDS);
      context = clustered.vertx().getOrCreateContext();
      delivery.onAcknowledged(entries -> context.runOnContext(v -> entries.forEach(e -> acknowledged(e.eventId))));

      System.out.printf(Locale.ROOT, "durable delivery benchmark: 2 JVMs, group 'bench', %d-byte events, window %d,"
              + " pending map with %d synchronous backup(s), in-memory format %s, member prefetch %d%n",
          payload.length() + 40, window,
          clustered.hazelcast().getConfig().getMapConfig("messaging.pending").getBackupCount(),
          clustered.hazelcast().getConfig().getMapConfig("messaging.pending").getInMemoryFormat(),
          settings.prefetchOf(BenchMember.GROUP.name()));
      bare = true;
      round("warm-up bare", warmup / 2);
      bare = false;
      round("warm-up durable", warmup);
      // Rounds alternate baseline and durable, so both see the same machine; medians are compared.
      List<double[]> bareRuns = new ArrayList<>();
      List<double[]> durableRuns = new ArrayList<>();
      for (int i = 1; i <= rounds; i++) {
        bare = true;
        bareRuns.add(round("bare " + i, events));
        bare = false;
        durableRuns.add(round("durable " + i, events));
      }
      double[] b = median(bareRuns);
      double[] d = median(durableRuns);
      System.out.printf(Locale.ROOT, "median of %d rounds: durable %.0f msg/s, p50 %.2f ms, p99 %.2f ms;"
              + " bare request-reply (nothing stored) %.0f msg/s, p50 %.2f ms, p99 %.2f ms; durable/bare throughput %.2f%n",
          rounds, d[0], d[1], d[2], b[0], b[1], b[2], d[0] / b[0]);
      clustered.vertx().close().await(60, TimeUnit.SECONDS);
      return 0;
    } finally {
      member.kill();
    }
  }

  /** Per column (msg/s, p50, p99), the median over the runs. */
  private static double[] median(List<double[]> runs) {
    double[] out = new double[3];
    for (int column = 0; column < 3; column++) {
      int c = column;
      List<Double> values = new ArrayList<>(runs.stream().map(r -> r[c]).sorted().toList());
      out[column] = values.get(values.size() / 2);
    }
    return out;
  }

  /** Runs {@code count} events; returns msg/s, p50 ms, p99 ms. */
  private double[] round(String name, int count) throws Exception {
    CompletableFuture<double[]> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      startedAt = new long[count];
      published = 0;
      acknowledged = 0;
      total = count;
      done = Promise.promise();
      long began = System.nanoTime();
      done.future().onComplete(ar -> {
        double seconds = (System.nanoTime() - began) / 1e9;
        double p50 = histogram.getValueAtPercentile(50) / 1e6;
        double p99 = histogram.getValueAtPercentile(99) / 1e6;
        System.out.printf(Locale.ROOT, "%-16s %8d events in %6.2f s: %8.0f msg/s, ack latency p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms%n", name, count, seconds, count / seconds, p50, p99, histogram.getMaxValue() / 1e6);
        result.complete(new double[] {count / seconds, p50, p99});
      });
      pump();
    });
    return result.get(10, TimeUnit.MINUTES);
  }

  /** Publishes until {@code window} events are unacknowledged or all are out. */
  private void pump() {
    while (published < total && published - acknowledged < window) {
      int seq = published++;
      startedAt[seq] = System.nanoTime();
      JsonObject body = new JsonObject().put("seq", seq).put("pad", payload);
      if (bare) {
        context.owner().eventBus().request(BARE_ADDRESS, body)
            .onSuccess(reply -> acknowledged(String.valueOf(seq)))
            .onFailure(e -> done.tryFail(e));
        continue;
      }
      delivery.publish(TOPIC, String.valueOf(seq), body).onFailure(e -> {
        System.err.println("publish failed: " + e);
        done.tryFail(e);
      });
    }
  }

  private void acknowledged(String eventId) {
    int seq = Integer.parseInt(eventId);
    if (seq >= total || startedAt[seq] == 0) {
      return;
    }
    histogram.recordValue(System.nanoTime() - startedAt[seq]);
    startedAt[seq] = 0;
    acknowledged++;
    if (acknowledged == total) {
      done.tryComplete();
    } else {
      pump();
    }
  }

  private static ChildJvm startMember(List<String> common, int port) throws Exception {
    List<String> args = new ArrayList<>(List.of("bench-member", "--node-name", "bench-member",
        "--cluster-port", String.valueOf(port)));
    args.addAll(common);
    return BenchCluster.startNode("bench-member", "512m", args);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
