package io.orderbus.bench;

import io.orderbus.gateway.OperatorClient;
import io.orderbus.node.Cli;
import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code orderbus bench orders}: what an async order costs. It offers {@code POST /orders} open loop at
 * {@code --rate} for {@code --duration} seconds, after a warm-up at the same rate, and reports the accept
 * latency, the settle time (202 to CONFIRMED/REJECTED and emailed), settled orders/s, CPU per order per node,
 * GC and threads per node, the cluster's idle CPU, and a ceiling (a bare vertx-web server driven the same
 * way). With {@code --step} it raises the rate window by window until the settle p99 passes the limit or
 * answers fail, and reports the knee. See {@link OrderWindow} for one window, {@link OrderReport} for the output.
 *
 * <p>On its own 3-JVM cluster (gateway+order, inventory, email), or on a running one with {@code --target}
 * (CPU per node then only with {@code --pids}).
 */
public final class OrderBench {
  /** Stock per SKU: ample, so that every order is confirmed rather than rejected. */
  private static final int STOCK = 1_000_000_000;
  /** The ceiling server is trivial, but cold too: it warms up for this long at most. */
  private static final Duration CEILING_WARMUP = Duration.ofSeconds(10);

  private final Options options;

  /** The command's settings; durations in seconds on the command line. */
  record Options(double rate, Duration duration, int skus, Duration warmup, Duration idle, Duration ceilingDuration,
                 double stepFactor, int maxSteps, Duration settleLimit, int connections, Duration requestTimeout,
                 Duration drainTimeout, Path out) {
    boolean stepping() {
      return stepFactor > 1;
    }
  }

  private OrderBench(Options options) {
    this.options = options;
  }

  /** {@code orderbus bench orders}; durations in seconds. */
  @CommandLine.Command(name = "orders", header = "The cost of an async order, open loop; --step finds the knee.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = {"The cost of an async order, open loop: accept p50/p99/p99.9, settle p50/p99"
          + " (202 to confirmed and emailed), settled/s, CPU ms per order per node, GC and threads per node, idle CPU,"
          + " a bare vertx-web ceiling at the same rate.",
          "--step raises the rate until settle p99 passes --settle-limit (the knee)."})
  static final class Command extends NodeSettingsCommand {
    @Option(names = "--rate", paramLabel = "R", defaultValue = "100",
        description = "orders/s offered (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--duration", paramLabel = "S",
        description = "seconds measured per rate (default: 20, 10 with --step)")
    Double duration;
    @Option(names = "--skus", paramLabel = "N", defaultValue = "16",
        description = "SKUs the orders spread over (default: ${DEFAULT-VALUE})")
    int skus;
    // Five minutes: the JIT compiles for minutes after start, and a 20 s warm-up measured it (up to a third of each
    // node's CPU), not the orders.
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "300",
        description = "seconds of warm-up (default: ${DEFAULT-VALUE})")
    double warmup;
    @Option(names = "--idle", paramLabel = "S", defaultValue = "10",
        description = "seconds of idle CPU measured (default: ${DEFAULT-VALUE})")
    double idle;
    @Option(names = "--step", paramLabel = "FACTOR", arity = "0..1", fallbackValue = "1.25", description = "raise the"
        + " rate by FACTOR (above 1; 1.25 if not given) per window until the knee")
    Double step;
    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "20",
        description = "at most this many rates with --step (default: ${DEFAULT-VALUE})")
    int maxSteps;
    @Option(names = "--settle-limit", paramLabel = "S", defaultValue = "1",
        description = "the settle p99 that ends --step (default: ${DEFAULT-VALUE})")
    double settleLimit;
    @Option(names = "--ceiling-duration", paramLabel = "S", defaultValue = "10", description = "seconds of the bare"
        + " vertx-web ceiling, 0 for none (default: ${DEFAULT-VALUE})")
    double ceilingDuration;
    @Option(names = "--connections", paramLabel = "N", defaultValue = "256",
        description = "HTTP connections (default: ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--request-timeout", paramLabel = "S", defaultValue = "60",
        description = "seconds an order request may take (default: ${DEFAULT-VALUE})")
    double requestTimeout;
    @Option(names = "--drain-timeout", paramLabel = "S", defaultValue = "120",
        description = "seconds the backlog may take to drain (default: ${DEFAULT-VALUE})")
    double drainTimeout;
    @Option(names = "--out", paramLabel = "DIR", description = "also write orders.md and orders.csv there")
    Path out;
    @Option(names = "--target", paramLabel = "URL",
        description = "a running cluster's gateway (http://host:port) instead"
        + " of its own; give its --admin-token")
    String target;
    @Option(names = "--pids", paramLabel = "NAME=PID,...", description = "with --target: its nodes' process ids, for"
        + " their CPU, GC and threads")
    String pids;

    @Override
    public Integer call() throws Exception {
      if (step != null && step <= 1) {
        throw new CommandLine.ParameterException(spec().commandLine(),
            "--step must be above 1 (the factor the rate grows by): " + step);
      }
      double stepFactor = step == null ? 1 : step;
      Options options = new Options(rate, seconds(duration != null ? duration : stepFactor > 1 ? 10 : 20), skus,
          seconds(warmup), seconds(idle), seconds(ceilingDuration), stepFactor, maxSteps, seconds(settleLimit),
          connections, seconds(requestTimeout), seconds(drainTimeout), out);
      return run(new OrderBench(options), target, pids, new ArrayList<>(settings()));
    }
  }

  private static int run(OrderBench bench, String target, String pids, List<String> rest) throws Exception {
    if (target != null) {
      // On a target, pass the target's admin token; on its own cluster, BenchCluster sets one.
      String token = Cli.take(rest, "--admin-token", NodeConfig.defaultsOnly().settings().security().adminToken());
      if (!rest.isEmpty()) {
        System.err.println("bench orders --target: node settings " + rest + " apply only to a cluster it starts");
        return 2;
      }
      URI uri = URI.create(target);
      return bench.measure(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), parsePids(pids), token,
          "the cluster at " + target);
    }
    try (BenchCluster cluster = BenchCluster.start("orders", rest)) {
      return bench.measure("127.0.0.1", cluster.httpPort(), cluster.pids(), cluster.adminToken(),
          "its own 3-JVM cluster on this machine (gateway+order, inventory, email)");
    }
  }

  private int measure(String host, int port, Map<String, Long> pids, String token, String where) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (CeilingServer ceilingServer = CeilingServer.start()) {
      PoolOptions pool = new PoolOptions().setHttp1MaxSize(options.connections());
      // The orders go out without the token, as a shop's clients send them; the bench's own reads and settings with it.
      WebClient cluster = WebClient.create(vertx, new WebClientOptions().setDefaultHost(host).setDefaultPort(port)
          .setKeepAlive(true), pool);
      WebClient operator = OperatorClient.of(cluster, token);
      WebClient ceiling = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(ceilingServer.port()).setKeepAlive(true), pool);
      SkuOrders orders = new SkuOrders("orders-" + UUID.randomUUID().toString().substring(0, 8), options.skus());
      OrderWindow window = new OrderWindow(vertx.getOrCreateContext(), cluster, operator, ceiling, pids, orders,
          options.requestTimeout(), options.drainTimeout());
      orders.stock(operator, STOCK).await(60, TimeUnit.SECONDS);

      System.out.printf(Locale.ROOT, "bench orders against %s: %d SKU(s); warm-up %.0f s at %.1f orders/s%n", where,
          options.skus(), options.warmup().toMillis() / 1e3, options.rate());
      OpenLoad.Result warm = window.offer(cluster, options.rate(), options.warmup());
      System.out.println("warm-up answers: " + warm.outcomes());
      window.drain();
      if (!options.ceilingDuration().isZero()) {
        window.offer(ceiling, options.rate(), min(options.warmup(), CEILING_WARMUP));
      }

      Map<String, Double> idle = Map.of();
      if (!pids.isEmpty() && !options.idle().isZero()) {
        System.out.printf(Locale.ROOT, "idle: %.0f s with no traffic%n", options.idle().toMillis() / 1e3);
        idle = idlePercent(pids);
      }

      OrderReport report = new OrderReport(options, where, pids.keySet(), idle);
      double rate = options.rate();
      double knee = Double.NaN;
      boolean limitReached = false;
      for (int step = 0; step < (options.stepping() ? options.maxSteps() : 1) && !limitReached; step++) {
        System.out.printf(Locale.ROOT, "offering %.1f orders/s open loop for %.0f s%n", rate,
            options.duration().toMillis() / 1e3);
        OrderWindow.Figures figures = window.measure(rate, options.duration(), options.ceilingDuration());
        report.add(figures);
        System.out.println(report.progressLine(figures));
        limitReached = !withinLimit(figures);
        if (!limitReached) {
          knee = rate;
          rate *= options.stepFactor();
        }
      }
      String kneeLine = report.kneeLine(knee, limitReached);
      report.print(System.out, kneeLine);
      if (options.out() != null) {
        report.write(options.out(), kneeLine);
        System.out.println("wrote " + options.out().resolve("orders.md") + " and " + options.out().resolve("orders.csv"));
      }
      return 0;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The rate still counts for the knee: every order accepted and settled, settle p99 within the limit. */
  private boolean withinLimit(OrderWindow.Figures f) {
    return f.load().failed() == 0 && f.settle().unsettled() == 0
        && f.settle().ms(99) <= options.settleLimit().toMillis();
  }

  /** Each node's CPU over {@code --idle} with no traffic, in % of one core. */
  private Map<String, Double> idlePercent(Map<String, Long> pids) throws InterruptedException {
    ProcessCpu before = ProcessCpu.sample(pids);
    long start = System.nanoTime();
    Thread.sleep(options.idle().toMillis());
    ProcessCpu used = ProcessCpu.sample(pids).minus(before);
    double elapsedMillis = (System.nanoTime() - start) / 1e6;
    Map<String, Double> percent = new LinkedHashMap<>();
    used.byName().keySet().forEach(name -> percent.put(name, used.millis(name) / elapsedMillis * 100));
    return percent;
  }

  /** {@code --pids n1-gateway+order=1234,n2-inventory=1235}: node names (as in /metrics) to process ids. */
  private static Map<String, Long> parsePids(String pids) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (pids != null) {
      for (String pair : pids.split(",")) {
        String[] parts = pair.split("=", 2);
        if (parts.length != 2) {
          throw new NodeConfig.InvalidConfigException("--pids takes name=pid,...: " + pair);
        }
        out.put(parts[0].trim(), Long.parseLong(parts[1].trim()));
      }
    }
    return out;
  }

  private static Duration seconds(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
