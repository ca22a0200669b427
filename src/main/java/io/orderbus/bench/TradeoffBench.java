package io.orderbus.bench;

import io.orderbus.gateway.OperatorClient;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.HdrHistogram.Histogram;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code orderbus bench tradeoffs}: the seed's trade-off table, measured on a real 3-JVM cluster
 * (gateway+order, inventory, email) through its REST API, async ({@code POST /orders}) against sync
 * ({@code ?mode=sync}):
 * <ol>
 *   <li>the user's wait: latency and throughput at a steady load, rounds alternating the two paths;</li>
 *   <li>consistency: how long after the {@code 202} the order is confirmed and emailed (from timelines);</li>
 *   <li>tracing: how many steps and nodes one order's timeline shows;</li>
 *   <li>a spike: a burst of orders at high concurrency, and how long the async backlog takes to drain;</li>
 *   <li>email down (SIGKILL): what each path answers, and how long the async emails take once it is back.</li>
 * </ol>
 */
public final class TradeoffBench {
  private static final String SKU = "bench-sku-";

  private final int orders;
  private final int warmup;
  private final int concurrency;
  private final int rounds;
  private final int spike;
  private final int spikeConcurrency;
  private final int outageOrders;
  private final int skus;
  private Vertx vertx;
  private Context context;
  /** The orders, sent without the token as a shop's clients send them. */
  private WebClient client;
  /** The same gateway with the admin token: stock, the backlog, the orders read back. */
  private WebClient operator;
  private BenchCluster cluster;

  /** Where the charts go, or null for none. */
  private Path out;

  private TradeoffBench(int orders, int warmup, int concurrency, int rounds, int spike, int spikeConcurrency, int outageOrders,
                        int skus) {
    this.orders = orders;
    this.warmup = warmup;
    this.concurrency = concurrency;
    this.rounds = rounds;
    this.spike = spike;
    this.spikeConcurrency = spikeConcurrency;
    this.outageOrders = outageOrders;
    this.skus = skus;
  }

  /** {@code orderbus bench tradeoffs}. */
  @CommandLine.Command(name = "tradeoffs", header = "Async against sync, row by row, on a 3-JVM cluster.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = "Async against sync on its own 3-JVM cluster: the user's wait, consistency,"
          + " tracing, a spike, email down.")
  static final class Command extends NodeSettingsCommand {
    @Option(names = "--orders", paramLabel = "N", defaultValue = "2000",
        description = "orders per round and path (default: ${DEFAULT-VALUE})")
    int orders;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "4000",
        description = "orders of warm-up (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "rounds, medians reported (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
        description = "orders in flight (default: ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--spike", paramLabel = "N", defaultValue = "2000",
        description = "orders in the spike (default: ${DEFAULT-VALUE})")
    int spike;
    @Option(names = "--spike-concurrency", paramLabel = "N", defaultValue = "256",
        description = "the spike's orders in flight (default: ${DEFAULT-VALUE})")
    int spikeConcurrency;
    @Option(names = "--outage-orders", paramLabel = "N", defaultValue = "200",
        description = "orders per path while email is down (default: ${DEFAULT-VALUE})")
    int outageOrders;
    @Option(names = "--skus", paramLabel = "N", defaultValue = "1",
        description = "SKUs the orders spread over (default: ${DEFAULT-VALUE})")
    int skus;
    @Option(names = "--out", paramLabel = "DIR", description = "also write charts to DIR: tradeoffs-latency.svg (the"
        + " user's wait per path) and tradeoffs-outage.svg (the backlog while email is down and after)")
    Path out;

    @Override
    public Integer call() throws Exception {
      TradeoffBench bench = new TradeoffBench(orders, warmup, concurrency, rounds, spike, spikeConcurrency, outageOrders,
          skus);
      bench.out = out;
      return bench.start(settings());
    }
  }

  private int start(List<String> flags) throws Exception {
    cluster = BenchCluster.start("tradeoffs", flags);
    try {
      vertx = Vertx.vertx();
      context = vertx.getOrCreateContext();
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(cluster.httpPort())
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(Math.max(concurrency, spikeConcurrency)));
      operator = OperatorClient.of(client, cluster.adminToken());
      measure();
      return 0;
    } finally {
      cluster.close();
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private void measure() throws Exception {
    for (int i = 0; i < skus; i++) {
      await(operator.put("/inventory/" + SKU + i).sendJsonObject(new JsonObject().put("available", 1_000_000_000)));
    }
    System.out.printf(Locale.ROOT, "trade-offs benchmark: 3 JVMs (gateway+order, inventory, email) on this machine,"
        + " REST from this JVM; steady load %d orders x %d rounds per path at concurrency %d; each order 1 unit of"
        + " one of %d SKU(s), in turn%n", orders, rounds, concurrency, skus);

    // 1. The user's wait, after a warm-up of both paths (four cold JVMs run at a fraction of their speed).
    print("warm-up async", load("/orders", warmup, concurrency));
    print("warm-up sync", load("/orders?mode=sync", warmup, concurrency));
    List<HttpLoad.Result> async = new ArrayList<>();
    List<HttpLoad.Result> sync = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      async.add(print("async " + i, load("/orders", orders, concurrency)));
      sync.add(print("sync  " + i, load("/orders?mode=sync", orders, concurrency)));
    }
    HttpLoad.Result a = median(async);
    HttpLoad.Result s = median(sync);

    // 2 and 3. Consistency and tracing, from the timelines of the last async round's orders.
    awaitDrained(120);
    Histogram confirmed = new Histogram(3_600_000L, 3);
    Histogram emailed = new Histogram(3_600_000L, 3);
    int[] steps = new int[2];
    List<String> sample = a.created().subList(0, Math.min(300, a.created().size()));
    for (String id : sample) {
      JsonArray timeline = getJson("/orders/" + id).getJsonArray("timeline");
      long accepted = at(timeline, "ACCEPTED");
      confirmed.recordValue(Math.max(0, at(timeline, "CONFIRMED") - accepted));
      emailed.recordValue(Math.max(0, at(timeline, "EmailSent") - accepted));
      steps[0] = timeline.size();
      steps[1] = nodesIn(timeline);
    }
    JsonArray syncTimeline = getJson("/orders/" + s.created().get(0)).getJsonArray("timeline");

    // 4. A spike.
    SpikeOutcome asyncSpike = spike("/orders");
    SpikeOutcome syncSpike = spike("/orders?mode=sync");

    // 5. Email down.
    BacklogSampler backlog = new BacklogSampler(vertx, operator).start();
    cluster.killEmail();
    long killedAt = System.nanoTime();
    HttpLoad.Result downAsync = print("email down, async", load("/orders", outageOrders, concurrency));
    HttpLoad.Result downSync = print("email down, sync ", load("/orders?mode=sync", outageOrders, concurrency));
    double downFor = (System.nanoTime() - killedAt) / 1e9;
    long restarted = System.nanoTime();
    cluster.restartEmail();
    double startup = (System.nanoTime() - restarted) / 1e9;
    awaitDrained(300);
    // From the restart command: the new JVM takes its pending emails as it deploys, before it says ready.
    double catchUp = (System.nanoTime() - restarted) / 1e9;
    List<BacklogSampler.Sample> outage = backlog.stop();
    if (out != null) {
      charts(a, s, backlog, outage, killedAt, restarted);
    }
    int mailed = 0;
    for (String id : downAsync.created()) {
      if ("SENT".equals(getJson("/orders/" + id).getString("emailStatus"))) {
        mailed++;
      }
    }

    System.out.println();
    System.out.println("| trade-off | async (POST /orders) | sync (POST /orders?mode=sync) |");
    System.out.println("|---|---|---|");
    System.out.printf(Locale.ROOT, "| the user's wait (median of %d rounds, concurrency %d) | %s | %s |%n",
        rounds, concurrency, describe(a), describe(s));
    System.out.printf(Locale.ROOT, "| consistency: confirmed / emailed after the answer (%d orders) | p50 %d / %d ms, p99 %d / %d ms"
            + " after the 202 | 0 ms: the 201 is the final state |%n", sample.size(),
        confirmed.getValueAtPercentile(50), emailed.getValueAtPercentile(50),
        confirmed.getValueAtPercentile(99), emailed.getValueAtPercentile(99));
    System.out.printf(Locale.ROOT, "| tracing: one order's timeline | %d steps on %d nodes, at different moments | %d steps,"
        + " within one request |%n", steps[0], steps[1], syncTimeline.size());
    System.out.printf(Locale.ROOT, "| a spike of %d orders at concurrency %d | %s; backlog peak %d, drained %.1f s after the burst"
        + " | %s |%n", spike, spikeConcurrency, asyncSpike.describe(), asyncSpike.peakBacklog, asyncSpike.drainSeconds,
        syncSpike.describe());
    System.out.printf(Locale.ROOT, "| email SIGKILLed (%d orders each, in the %.1f s after the kill) | %d/%d accepted (202),"
            + " p99 %.0f ms; %d/%d emailed %.1f s after email was restarted (its JVM took %.1f s to start) | %d/%d created;"
            + " %s |%n", outageOrders, downFor, downAsync.status(202), outageOrders, downAsync.p99Ms(), mailed,
        downAsync.status(202), catchUp, startup, downSync.status(201), outageOrders, failures(downSync));
  }

  /** The user's wait per path (percentiles of the median round) and the backlog through the email outage. */
  private void charts(HttpLoad.Result a, HttpLoad.Result s, BacklogSampler backlog, List<BacklogSampler.Sample> outage,
                      long killedAt, long restarted) throws java.io.IOException {
    double[] percentiles = {50, 90, 99, 99.9};
    new SvgChart(String.format(Locale.ROOT, "bench tradeoffs: the user's wait, %d orders at concurrency %d (median round)",
        orders, concurrency), "percentile", "ms")
        .categories(List.of("p50", "p90", "p99", "p99.9"))
        .bars("async (202)", java.util.Arrays.stream(percentiles).map(p -> a.latencyMicros().getValueAtPercentile(p) / 1e3)
            .toArray())
        .bars("sync (201)", java.util.Arrays.stream(percentiles).map(p -> s.latencyMicros().getValueAtPercentile(p) / 1e3)
            .toArray())
        .write(out.resolve("tradeoffs-latency.svg"));
    new SvgChart("bench tradeoffs: backlog while email is down, and after", "seconds", "pending events")
        .line("pending events, all groups", outage.stream().mapToDouble(BacklogSampler.Sample::seconds).toArray(),
            outage.stream().mapToDouble(BacklogSampler.Sample::backlog).toArray())
        .marker(backlog.secondsAt(killedAt), "email SIGKILLed")
        .marker(backlog.secondsAt(restarted), "email restarted")
        .write(out.resolve("tradeoffs-outage.svg"));
    System.out.println("wrote " + out.resolve("tradeoffs-latency.svg") + " and " + out.resolve("tradeoffs-outage.svg"));
  }

  private record SpikeOutcome(HttpLoad.Result result, long peakBacklog, double drainSeconds) {
    String describe() {
      return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, %s", result.p50Ms(), result.p99Ms(), statusSummary(result));
    }
  }

  private SpikeOutcome spike(String path) throws Exception {
    AtomicLong peak = new AtomicLong();
    long timer = vertx.setPeriodic(100, t -> operator.get("/cluster").send().onSuccess(r ->
        peak.accumulateAndGet(backlog(r.bodyAsJsonObject()), Math::max)));
    HttpLoad.Result result;
    long burstEnd;
    try {
      result = print("spike " + (path.contains("sync") ? "sync " : "async"), load(path, spike, spikeConcurrency));
      burstEnd = System.nanoTime();
      awaitDrained(300);
    } finally {
      vertx.cancelTimer(timer);
    }
    return new SpikeOutcome(result, peak.get(), (System.nanoTime() - burstEnd) / 1e9);
  }

  private HttpLoad.Result load(String path, int count, int clients) throws Exception {
    String customer = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    List<JsonObject> bodies = new ArrayList<>();
    for (int i = 0; i < skus; i++) {
      bodies.add(new JsonObject().put("customerEmail", customer)
          .put("items", new JsonArray().add(new JsonObject().put("sku", SKU + i).put("quantity", 1))));
    }
    int[] next = {0};
    // Every reservation of a SKU takes that SKU's lock: one SKU is the hot-item case, several spread it.
    return HttpLoad.run(context, client, path, count, clients, () -> bodies.get(next[0]++ % skus))
        .await(600, TimeUnit.SECONDS);
  }

  /** Waits until no group has anything pending: everything published so far has been handled. */
  private void awaitDrained(int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (backlog(getJson("/cluster")) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the backlog did not drain within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }

  private static long backlog(JsonObject cluster) {
    JsonObject groups = cluster == null ? new JsonObject() : cluster.getJsonObject("groups", new JsonObject());
    long sum = 0;
    for (String group : groups.fieldNames()) {
      sum += groups.getJsonObject(group).getLong("pending", 0L);
    }
    return sum;
  }

  private JsonObject getJson(String path) throws Exception {
    return await(operator.get(path).send()).bodyAsJsonObject();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  private static long at(JsonArray timeline, String event) {
    for (int i = 0; i < timeline.size(); i++) {
      if (event.equals(timeline.getJsonObject(i).getString("event"))) {
        return timeline.getJsonObject(i).getLong("at");
      }
    }
    throw new IllegalStateException("no " + event + " in " + timeline.encode());
  }

  private static int nodesIn(JsonArray timeline) {
    Set<String> nodes = new HashSet<>();
    timeline.forEach(e -> nodes.add(((JsonObject) e).getString("node")));
    return nodes.size();
  }

  private static HttpLoad.Result print(String label, HttpLoad.Result r) {
    System.out.printf(Locale.ROOT, "%-18s %6d orders in %6.2f s: %6.0f orders/s, p50 %7.2f ms, p99 %8.2f ms, %s%n",
        label, r.count(), r.nanos() / 1e9, r.perSecond(), r.p50Ms(), r.p99Ms(), statusSummary(r));
    return r;
  }

  private static HttpLoad.Result median(List<HttpLoad.Result> runs) {
    List<HttpLoad.Result> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Double.compare(x.perSecond(), y.perSecond()));
    return sorted.get(sorted.size() / 2);
  }

  private static String describe(HttpLoad.Result r) {
    return String.format(Locale.ROOT, "%.0f orders/s, p50 %.1f ms, p99 %.1f ms", r.perSecond(), r.p50Ms(), r.p99Ms());
  }

  private static String statusSummary(HttpLoad.Result r) {
    StringBuilder out = new StringBuilder();
    r.outcomes().forEach((outcome, n) -> out.append(out.length() == 0 ? "" : ", ").append(n).append(" x ").append(outcome));
    return out.toString();
  }

  private static String failures(HttpLoad.Result r) {
    int failed = r.count() - r.status(201);
    return failed + " failed (" + statusSummary(r) + "), p50 " + String.format(Locale.ROOT, "%.0f", r.p50Ms())
        + " ms, p99 " + String.format(Locale.ROOT, "%.0f", r.p99Ms()) + " ms";
  }
}
