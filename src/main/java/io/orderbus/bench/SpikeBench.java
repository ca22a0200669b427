package io.orderbus.bench;

import io.orderbus.gateway.OperatorClient;
import io.orderbus.node.Cli;
import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code orderbus bench spike}: what a spike does to the async path. It measures the cluster's capacity
 * in settled orders per second ({@link SettledCapacity}), then offers {@code --factor} times that (or
 * {@code --rate}) open loop for {@code --duration} seconds ({@link OpenLoad}), waits for the backlog to
 * drain ({@link OrderWatch}) and reports what a spike must not cause: refused or failed requests beyond
 * {@code 503 BACKLOG_FULL}, dead letters, and events handled more than once (handled / published per group,
 * from the cluster's delivery counters, counted from before the run).
 *
 * <p>On its own 3-JVM cluster (gateway+order, inventory, email), or on a running one with {@code --target}.
 */
public final class SpikeBench {
  private static final List<String> GROUPS = List.of("inventory", "email", "order");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /**
   * While measuring the capacity: requests in flight (enough that the accept path, slow on a busy machine, is
   * not what limits the count), and the backlog (events) up to which orders are placed.
   */
  private static final int CLIENTS = 64;
  private static final int MAX_BACKLOG = 256;
  /** Stock per SKU: ample, so that every order is confirmed. */
  private static final int STOCK = 1_000_000_000;

  private final double factor;
  private final double rate;
  private final Duration duration;
  private final Duration warmup;
  private final Duration calibrate;
  private final Duration drainTimeout;
  private final SkuOrders orders;
  private Context context;
  /** The orders, sent without the token as a shop's clients send them. */
  private WebClient client;
  /** The same gateway with the admin token: stock, backlog, metrics and dead letters. */
  private WebClient operator;
  /** Where the chart goes, or null for none. */
  private Path out;

  private SpikeBench(double factor, double rate, Duration duration, Duration warmup, Duration calibrate, int skus,
                     Duration drainTimeout) {
    this.factor = factor;
    this.rate = rate;
    this.duration = duration;
    this.warmup = warmup;
    this.calibrate = calibrate;
    this.drainTimeout = drainTimeout;
    this.orders = new SkuOrders("spike-" + UUID.randomUUID().toString().substring(0, 8), skus);
  }

  /** {@code orderbus bench spike}; durations in seconds. */
  @CommandLine.Command(name = "spike", header = "Factor x capacity offered at once: what a spike costs.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = "Capacity in settled orders/s, then factor x capacity offered open loop: 503s,"
          + " accept latency, time to drain, dead letters, handled/published per group (its own 3-JVM cluster, or"
          + " --target).")
  static final class Command extends NodeSettingsCommand {
    @Option(names = "--factor", paramLabel = "X", defaultValue = "2",
        description = "the spike's rate as a multiple of capacity (default: ${DEFAULT-VALUE})")
    double factor;
    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
        description = "the spike's rate in orders/s instead (default: by --factor)")
    double rate;
    @Option(names = "--duration", paramLabel = "S", defaultValue = "15",
        description = "seconds of spike (default: ${DEFAULT-VALUE})")
    double duration;
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "15",
        description = "seconds of warm-up (default: ${DEFAULT-VALUE})")
    double warmup;
    @Option(names = "--calibrate", paramLabel = "S", defaultValue = "5",
        description = "seconds measuring capacity (default: ${DEFAULT-VALUE})")
    double calibrate;
    @Option(names = "--skus", paramLabel = "N", defaultValue = "8",
        description = "SKUs the orders spread over (default: ${DEFAULT-VALUE})")
    int skus;
    @Option(names = "--connections", paramLabel = "N", defaultValue = "256",
        description = "HTTP connections (default: ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--drain-timeout", paramLabel = "S", defaultValue = "120",
        description = "seconds the backlog may take to drain (default: ${DEFAULT-VALUE})")
    long drainTimeout;
    @Option(names = "--out", paramLabel = "DIR",
        description = "also write the backlog over time as DIR/spike-backlog.svg")
    Path out;
    @Option(names = "--target", paramLabel = "URL",
        description = "a running cluster's gateway (http://host:port) instead"
        + " of its own; give its --admin-token")
    String target;

    @Override
    public Integer call() throws Exception {
      SpikeBench bench = new SpikeBench(factor, rate, seconds(duration), seconds(warmup), seconds(calibrate), skus,
          Duration.ofSeconds(drainTimeout));
      bench.out = out;
      return run(bench, target, connections, new ArrayList<>(settings()));
    }

    private static Duration seconds(double seconds) {
      return Duration.ofMillis((long) (seconds * 1000));
    }
  }

  private static int run(SpikeBench bench, String target, int connections, List<String> rest) throws Exception {
    if (target != null) {
      // On a target, pass the target's admin token; on its own cluster, BenchCluster sets one.
      String token = Cli.take(rest, "--admin-token", NodeConfig.defaultsOnly().settings().security().adminToken());
      if (!rest.isEmpty()) {
        System.err.println("bench spike --target: node settings " + rest + " apply only to a cluster it starts");
        return 2;
      }
      URI uri = URI.create(target);
      return bench.measure(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), connections, token);
    }
    try (BenchCluster cluster = BenchCluster.start("spike", rest)) {
      return bench.measure("127.0.0.1", cluster.httpPort(), connections, cluster.adminToken());
    }
  }

  private int measure(String host, int port, int connections, String adminToken) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      context = vertx.getOrCreateContext();
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(connections));
      operator = OperatorClient.of(client, adminToken);
      Figures figures = spike();
      report(figures);
      if (out != null) {
        chart(figures).write(out.resolve("spike-backlog.svg"));
        System.out.println("wrote " + out.resolve("spike-backlog.svg"));
      }
      return 0;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** What one run measured, for the table. */
  private record Figures(SettledCapacity.Result capacity, OpenLoad.Result load, OrderWatch.Result watch,
                         DeliveryCounts delivery, int deadLettersListed, BacklogSampler backlog,
                         List<BacklogSampler.Sample> samples) {
  }

  private Figures spike() throws Exception {
    orders.stock(operator, STOCK).await(60, TimeUnit.SECONDS);
    DeliveryCounts before = counts();

    SettledCapacity.Result capacity = null;
    double offered = rate;
    if (offered <= 0) {
      System.out.printf(Locale.ROOT, "measuring capacity: %.0f s warm-up, then %.0f s of orders, placed while the backlog"
              + " is under %d events%n",
          warmup.toMillis() / 1e3, calibrate.toMillis() / 1e3, MAX_BACKLOG);
      capacity = SettledCapacity.measure(context, client, operator, warmup, calibrate, CLIENTS, MAX_BACKLOG, orders::next)
          .await(warmup.plus(calibrate).plusSeconds(120).toSeconds(), TimeUnit.SECONDS);
      System.out.printf(Locale.ROOT, "capacity: %.1f settled orders/s (%d in %.0f s; %d placed in all, %d not settled"
              + " right after; answers %s)%n", capacity.perSecond(), capacity.settled(), calibrate.toMillis() / 1e3,
          capacity.placed().size(), capacity.unsettled(), capacity.outcomes());
      offered = factor * capacity.perSecond();
      if (offered <= 0) {
        throw new IllegalStateException("no order settled while measuring the capacity: nothing to scale a spike on");
      }
      // The spike starts from an empty backlog, so that it measures the spike and not the calibration's tail.
      if (!OrderWatch.await(context, operator, List.of(), drainTimeout).await(drainTimeout.plusSeconds(30).toSeconds(),
          TimeUnit.SECONDS).drained()) {
        System.out.println("the calibration's backlog did not drain within " + drainTimeout.toSeconds() + " s; the spike"
            + " starts on top of it");
      }
    }

    System.out.printf(Locale.ROOT, "offering %.1f orders/s open loop for %.0f s%n", offered, duration.toMillis() / 1e3);
    BacklogSampler backlog = new BacklogSampler(context.owner(), operator).start();
    OpenLoad.Result load = OpenLoad.run(context, client, "/orders", offered, duration, REQUEST_TIMEOUT, orders::next)
        .await(duration.plus(REQUEST_TIMEOUT).plusSeconds(60).toSeconds(), TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "answered: %s; waiting for the backlog to drain (at most %d s)%n", load.outcomes(),
        drainTimeout.toSeconds());
    OrderWatch.Result watch = OrderWatch.await(context, operator, load.accepted(), drainTimeout)
        .await(drainTimeout.plusSeconds(300).toSeconds(), TimeUnit.SECONDS);
    List<BacklogSampler.Sample> samples = backlog.stop();
    DeliveryCounts delivery = counts().minus(before);
    return new Figures(capacity, load, watch, delivery, deadLettersListed(), backlog, samples);
  }

  /** The backlog from the first request of the spike until it drained, with when the offering ended and the drain. */
  private static SvgChart chart(Figures f) {
    SvgChart chart = new SvgChart(String.format(Locale.ROOT, "bench spike: backlog, %.0f orders/s offered for %.0f s",
        f.load().rate(), f.load().duration().toMillis() / 1e3), "seconds since the spike began", "pending events")
        .line("pending events, all groups", f.samples().stream().mapToDouble(BacklogSampler.Sample::seconds).toArray(),
            f.samples().stream().mapToDouble(BacklogSampler.Sample::backlog).toArray())
        .marker(f.backlog().secondsAt(f.load().scheduleEnd()), "offering ends");
    if (f.watch().drained()) {
      chart.marker(f.backlog().secondsAt(f.watch().emptyAt()), "drained");
    }
    return chart;
  }

  private void report(Figures f) {
    OpenLoad.Result load = f.load();
    OrderWatch.Result watch = f.watch();
    int accepted = load.status(202);
    int refused = load.outcomes().getOrDefault("503 BACKLOG_FULL", 0);
    String others = load.outcomes().entrySet().stream()
        .filter(e -> !e.getKey().equals("202") && !e.getKey().equals("503 BACKLOG_FULL"))
        .map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "));
    double drainSeconds = watch.drained() ? Math.max(0, watch.emptyAt() - load.scheduleEnd()) / 1e9 : Double.NaN;
    int settled = load.accepted().size() - watch.unsettled().size();
    DeliveryCounts d = f.delivery();

    System.out.println();
    System.out.println("| spike | measured |");
    System.out.println("|---|---|");
    row("capacity (settled orders/s, placed while the backlog is small)", f.capacity() == null ? "not measured (--rate given)"
        : String.format(Locale.ROOT, "%.1f", f.capacity().perSecond()));
    row("offered, open loop", String.format(Locale.ROOT, "%.1f orders/s for %.0f s = %d requests%s", load.rate(),
        load.duration().toMillis() / 1e3, load.sent(), f.capacity() == null ? ""
            : String.format(Locale.ROOT, " (%.1f x capacity)", load.rate() / f.capacity().perSecond())));
    row("accepted (202)", String.valueOf(accepted));
    row("refused (503 BACKLOG_FULL)", String.valueOf(refused));
    row("other answers", others.isEmpty() ? "none" : others);
    row("accept latency p50 / p99 (from intended send time)", String.format(Locale.ROOT, "%.1f / %.1f ms",
        load.acceptedMs(50), load.acceptedMs(99)));
    // If this JVM could not keep the schedule, the offered rate was lower than stated for a while.
    row("load generator's worst lag behind its schedule", String.format(Locale.ROOT, "%.1f ms", load.maxLagMicros() / 1e3));
    row("backlog when the offering ended", watch.backlogAtStart() + " events");
    row("time to drain (offering ended to backlog empty)", watch.drained()
        ? String.format(Locale.ROOT, "%.1f s", drainSeconds) : "not drained within " + drainTimeout.toSeconds() + " s");
    row("orders settled (stock decided and emailed)", settled + " / " + accepted);
    watch.unsettled().stream().limit(5).forEach(id -> System.out.println("| unsettled order " + id + " | "
        + OrderWatch.describe(watch.orders().get(id)) + " |"));
    row("dead letters", String.format(Locale.ROOT, "%d listed; %.0f dead-lettered during the run", f.deadLettersListed(),
        d.deadLetteredTotal()));
    // A handler run again publishes its follow-up again, which inflates published too: per order says it plainly.
    int orders = accepted + (f.capacity() == null ? 0 : f.capacity().placed().size());
    for (String group : GROUPS) {
      row("handled / published, " + group, String.format(Locale.ROOT, "%.2f (%.0f / %.0f; %.0f redelivered; %.2f handled"
              + " per order)", d.ratio(group), d.handled().getOrDefault(group, 0.0), d.published().getOrDefault(group, 0.0),
          d.redelivered().getOrDefault(group, 0.0), d.handled().getOrDefault(group, 0.0) / orders));
    }
    if (d.nodesDown() > 0) {
      System.out.printf(Locale.ROOT, "(%.0f node(s) did not answer the last metrics scrape: their counters are missing)%n",
          d.nodesDown());
    }
    System.out.println();
    System.out.println("capacity_per_s,offered_per_s,offered,accepted,refused_503,other_answers,accept_p50_ms,accept_p99_ms,"
        + "drain_s,settled,dead_letters,ratio_inventory,ratio_email,ratio_order");
    System.out.printf(Locale.ROOT, "%.1f,%.1f,%d,%d,%d,%d,%.1f,%.1f,%.1f,%d,%.0f,%.3f,%.3f,%.3f%n",
        f.capacity() == null ? Double.NaN : f.capacity().perSecond(), load.rate(), load.sent(), accepted, refused,
        load.sent() - accepted - refused, load.acceptedMs(50), load.acceptedMs(99), drainSeconds, settled,
        Math.max(d.deadLetteredTotal(), f.deadLettersListed()), d.ratio("inventory"), d.ratio("email"), d.ratio("order"));
  }

  private static void row(String what, String value) {
    System.out.println("| " + what + " | " + value + " |");
  }

  private DeliveryCounts counts() throws Exception {
    HttpResponse<Buffer> metrics = await(operator.get("/metrics").send());
    if (metrics.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: " + metrics.statusCode() + " " + metrics.bodyAsString());
    }
    return DeliveryCounts.parse(metrics.bodyAsString());
  }

  /** Dead letters the cluster holds now; -1 if the admin token is refused. */
  private int deadLettersListed() throws Exception {
    HttpResponse<Buffer> r = await(operator.get("/admin/dead-letters?limit=10000").send());
    if (r.statusCode() != 200) {
      System.out.println("GET /admin/dead-letters: " + r.statusCode() + " (pass the cluster's --admin-token)");
      return -1;
    }
    return r.bodyAsJsonObject().getJsonArray("deadLetters").size();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }
}
