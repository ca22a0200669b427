package io.orderbus.chaos;

import io.orderbus.bench.OrderWatch;
import io.orderbus.node.Cli;
import io.orderbus.node.VersionProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code orderbus chaos}: a 5-JVM cluster under a steady stream of orders and sign-ups while a seeded schedule
 * kills, pauses and restarts its nodes and stops its SMTP server; then every fault is undone, everything
 * settles, and the history is checked ({@link HistoryCheck}). Exit 0 if every check passed, 1 if one failed,
 * 2 for bad usage. The report goes to stdout and {@code <out>/report.md}; the requests to
 * {@code <out>/requests.jsonl}; each node's output to {@code <out>/logs/}.
 */
public final class ChaosCommand {
  /** Longest a node fault may take to heal before the node is killed and started again. */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final ChaosOptions options;
  private final List<String> args;
  private final RunClock clock = RunClock.startingNow();
  private ChaosCluster cluster;
  private SmtpSink smtp;

  private ChaosCommand(ChaosOptions options, List<String> args) {
    this.options = options;
    this.args = args;
  }

  /**
   * {@code orderbus chaos}: the options' names and help; their values are checked by {@link ChaosOptions}, which
   * also accepts durations such as {@code 90s}, {@code 2m} or {@code 1h30m}.
   */
  @CommandLine.Command(name = "chaos", header = "Seeded faults under load, then the history checked.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = {"5 JVMs (every role twice) and an SMTP server under a steady stream of async"
          + " and sync orders and sign-ups, while a seeded schedule SIGKILLs and restarts nodes, SIGSTOPs one for"
          + " 3-10 s and stops the SMTP server; then checks every order final and as told, mails exactly as promised"
          + " (counted at the SMTP server), stock conserved, no dead letters.",
          "Exit status 0 if all hold, 1 if not, 2 for bad usage."})
  public static final class Command implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--duration", paramLabel = "DURATION", description = "how long load and faults run, e.g. 90s, 10m,"
        + " 1h30m, PT2M (default: 10m)")
    String duration;
    @Option(names = "--seed", paramLabel = "N",
        description = "the seed of the faults and the workload (default: drawn)")
    String seed;
    @Option(names = "--rate", paramLabel = "R", description = "orders/s, above 0 and at most 200 (default: 8)")
    String rate;
    @Option(names = "--out", paramLabel = "DIR",
        description = "report, request history and node logs (default: target/chaos)")
    String out;
    @Option(names = "--settle-timeout", paramLabel = "DURATION", description = "how long everything may take to settle"
        + " after the faults (default: 3m)")
    String settleTimeout;

    @Override
    public Integer call() throws Exception {
      List<String> args = new ArrayList<>();
      for (var option : spec.options()) {
        if (option.getValue() instanceof String value) {
          args.add(option.longestName());
          args.add(value);
        }
      }
      ChaosOptions options;
      try {
        options = ChaosOptions.parse(args, System.nanoTime() & 0xFFFF_FFFFL);
      } catch (ChaosOptions.UsageException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      return new ChaosCommand(options, args).run();
    }
  }

  private int run() throws Exception {
    Path logs = options.out().resolve("logs");
    Files.createDirectories(logs);
    try (Stream<Path> old = Files.list(logs)) {
      for (Path log : old.toList()) {
        Files.delete(log);
      }
    }
    // GreenMail's connection threads throw when an email node dies mid-session (connection reset): expected here,
    // so one line rather than a stack trace.
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> say("thread " + thread.getName() + " ended: " + e
        + (e.getCause() == null ? "" : " (" + e.getCause() + ")")));
    Thread cleanup = new Thread(this::stopEverything, "orderbus-chaos-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Vertx vertx = Vertx.vertx();
    try {
      return runChaos(vertx, logs);
    } catch (Exception e) {
      // Not a verdict on the system: the run itself could not be carried out (a node that never started, ...).
      System.err.println("orderbus chaos: the run could not be carried out: " + e.getMessage());
      return 1;
    } finally {
      stopEverything();
      vertx.close().await(10, TimeUnit.SECONDS);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs (or ran) anyway.
      }
    }
  }

  private int runChaos(Vertx vertx, Path logs) throws Exception {
    FaultPlan plan = FaultPlan.draw(options.seed(), options.duration(), ChaosCluster.ROLES.size());
    String adminToken = UUID.randomUUID().toString();
    smtp = new SmtpSink(Cli.freePort(), clock);
    smtp.start();
    say("seed " + options.seed() + "; SMTP server (GreenMail) on 127.0.0.1:" + smtp.port() + "; starting 5 nodes");
    cluster = ChaosCluster.start(logs, List.of("--mailer", "smtp", "--smtp-host", "127.0.0.1",
        "--smtp-port", String.valueOf(smtp.port()), "--smtp-from", "shop@chaos.example", "--admin-token", adminToken,
        "--welcome-delay", "PT2S"));
    say("cluster ready: " + String.join(", ", cluster.names()) + "; gateways on ports " + cluster.httpPorts());
    try (Gateways gateways = new Gateways(vertx, cluster.httpPorts(), adminToken)) {
      List<Workload.Sku> skus = Workload.skus(options.rate(), options.duration().toSeconds());
      Map<String, Integer> initial = new LinkedHashMap<>();
      for (Workload.Sku sku : skus) {
        if (!gateways.put("/inventory/" + sku.name(), new JsonObject().put("available", sku.initial()))) {
          throw new IllegalStateException("the stock of " + sku.name() + " could not be set");
        }
        initial.put(sku.name(), sku.initial());
      }
      ChaosTarget target = new ChaosTarget(cluster, smtp, gateways, clock);
      Duration loadStart = clock.elapsed();
      Duration end = loadStart.plus(options.duration());
      FaultRunner faults = new FaultRunner(plan, target, clock, loadStart, end, RECOVERY_TIMEOUT, this::say);
      Workload workload = new Workload(vertx, cluster.httpPorts(), options.seed(), options.rate(), skus,
          () -> clock.elapsed().toMillis());
      workload.start();
      say("load started: " + options.rate() + " orders/s and sign-ups for " + options.duration() + "; faults by seed "
          + options.seed());
      Thread nodeFaults = thread("node-faults", faults::runNodeFaults);
      Thread smtpFaults = thread("smtp-outages", faults::runSmtpOutages);
      while (clock.elapsed().compareTo(end) < 0) {
        clock.sleepUntil(min(end, clock.elapsed().plus(PROGRESS_EVERY)));
        say("progress: " + workload.snapshot().await().size() + " requests, " + workload.open().await()
            + " without an answer yet, " + faults.records().size() + " faults");
      }
      workload.stopNew().await();
      say("load stopped; waiting for the fault under way to be undone");
      nodeFaults.join();
      smtpFaults.join();
      target.startSmtp();
      target.restartAnyDead();
      boolean whole = target.awaitRecovered(RECOVERY_TIMEOUT);
      say(whole ? "every node a member; settling" : "not every node a member after " + RECOVERY_TIMEOUT + "; settling anyway");
      Duration settleStart = clock.elapsed();
      settle(workload, gateways);
      Duration settled = clock.elapsed().minus(settleStart);
      workload.abandon().await();
      History history = collect(workload, gateways, initial, faults.records(), target.exits(), whole);
      workload.close();
      List<HistoryCheck.Check> checks = HistoryCheck.run(history);
      boolean passed = checks.stream().allMatch(HistoryCheck.Check::passed);
      String report = new ChaosReport(new ChaosReport.Run(options, args, cluster.names(), smtp.port(), Instant.now(),
          loadStart, settled, whole)).markdown(history, checks);
      Files.writeString(options.out().resolve("report.md"), report);
      writeRequests(history);
      System.out.println();
      System.out.println(report);
      say("report written to " + options.out().resolve("report.md") + (passed ? "; every check passed" : "; CHECKS FAILED"));
      return passed ? 0 : 1;
    }
  }

  /**
   * Waits, at most the settle timeout, until every request has its definite answer, the backlog is empty and
   * every known order is final. Orders are read only once the rest is done, so that reading them does not
   * compete with the work it waits for.
   */
  private void settle(Workload workload, Gateways gateways) throws Exception {
    long deadline = System.nanoTime() + options.settleTimeout().toNanos();
    Set<String> finalSeen = new java.util.HashSet<>();
    while (System.nanoTime() < deadline) {
      int open = workload.open().await();
      JsonObject view = gateways.get("/cluster");
      long pending = view == null ? -1 : OrderWatch.backlog(view);
      if (open == 0 && pending == 0) {
        Set<String> known = HistoryCheck.knownOrders(workload.snapshot().await(), smtp.received());
        boolean allFinal = true;
        for (String id : known) {
          if (!finalSeen.contains(id)) {
            JsonObject order = gateways.get("/orders/" + id);
            if (order != null && !"ACCEPTED".equals(order.getString("status"))) {
              finalSeen.add(id);
            } else {
              allFinal = false;
            }
          }
        }
        if (allFinal) {
          return;
        }
      }
      Thread.sleep(1_000);
    }
    say("settle timeout (" + options.settleTimeout() + ") reached: checking what there is");
  }

  private History collect(Workload workload, Gateways gateways, Map<String, Integer> initial, List<FaultRecord> faults,
                          List<History.Exit> exits, boolean whole) {
    List<History.Request> requests = workload.snapshot().await();
    List<SmtpSink.Mail> mails = smtp.received();
    Map<String, History.OrderState> orders = new LinkedHashMap<>();
    for (String id : HistoryCheck.knownOrders(requests, mails)) {
      JsonObject order = gateways.get("/orders/" + id);
      if (order != null) {
        Map<String, Integer> items = new LinkedHashMap<>();
        order.getJsonArray("items", new JsonArray()).forEach(o -> {
          JsonObject line = (JsonObject) o;
          items.merge(line.getString("sku"), line.getInteger("quantity"), Integer::sum);
        });
        orders.put(id, new History.OrderState(id, order.getString("mode"), order.getString("status"),
            order.getString("customerEmail"), items, order.encode()));
      }
    }
    Map<String, Integer> available = new LinkedHashMap<>();
    initial.keySet().forEach(sku -> {
      JsonObject level = gateways.get("/inventory/" + sku);
      if (level != null) {
        available.put(sku, level.getInteger("available"));
      }
    });
    JsonObject dead = gateways.get("/admin/dead-letters?limit=10000");
    List<String> deadLetters = dead == null ? null : dead.getJsonArray("deadLetters", new JsonArray()).stream()
        .map(o -> ((JsonObject) o).encode()).toList();
    JsonObject view = gateways.get("/cluster");
    long pending = view == null ? -1 : OrderWatch.backlog(view);
    String detail = view == null ? "no gateway answered GET /cluster" : view.getJsonObject("groups", new JsonObject()).encode();
    if (pending != 0) {
      // Which events, held by whom, tried how often: what a finding needs to start from.
      JsonObject oldest = gateways.get("/admin/pending?limit=20");
      detail += "; the oldest pending (GET /admin/pending): " + (oldest == null ? "unknown" : oldest.encode());
    }
    return new History(requests, orders, mails, initial, available, deadLetters, pending, detail, faults, exits, whole);
  }

  private void writeRequests(History history) throws IOException {
    List<String> lines = new ArrayList<>();
    for (History.Request r : history.requests()) {
      lines.add(new JsonObject().put("key", r.key()).put("kind", r.kind().name()).put("recipient", r.recipient())
          .put("items", new JsonObject(new LinkedHashMap<>(r.items()))).put("outcome", r.outcome().name())
          .put("orderId", r.orderId()).put("told", r.told()).put("attempts", r.attempts())
          .put("retried", new JsonObject(new LinkedHashMap<>(r.retried()))).encode());
    }
    Files.write(options.out().resolve("requests.jsonl"), lines);
  }

  private synchronized void stopEverything() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (smtp != null) {
      smtp.close();
    }
  }

  private void say(String message) {
    System.out.printf(java.util.Locale.ROOT, "[chaos %7.1fs] %s%n", clock.elapsed().toMillis() / 1000.0, message);
  }

  private interface Body {
    void run() throws Exception;
  }

  private Thread thread(String name, Body body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        say(name + " stopped: " + e);
      }
    }, "orderbus-chaos-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
