package io.orderbus.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The output of {@code bench orders}: a Markdown table (one row per rate, and one per rate and node), how
 * each figure is measured, the cluster's idle CPU and the knee; and one CSV line per rate.
 */
final class OrderReport {
  private final OrderBench.Options options;
  private final String where;
  private final Set<String> nodes = new LinkedHashSet<>();
  private final Map<String, Double> idlePercent;
  private final List<OrderWindow.Figures> rows = new ArrayList<>();
  private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  /** The knee found, as {@link #kneeLine} was told; NaN when none. */
  private double knee = Double.NaN;
  /** Whether a rate passed the limit, so that {@link #knee} is a knee and not just the highest rate tried. */
  private boolean limitReached;

  /** {@code nodes}: the node names whose CPU is sampled (others appear as /metrics names them). */
  OrderReport(OrderBench.Options options, String where, Collection<String> nodes, Map<String, Double> idlePercent) {
    this.options = options;
    this.where = where;
    this.nodes.addAll(nodes);
    this.idlePercent = idlePercent;
  }

  void add(OrderWindow.Figures figures) {
    rows.add(figures);
    nodes.addAll(figures.jvm().nodes());
  }

  /** One line as a window ends, so that a long step run shows its progress. */
  String progressLine(OrderWindow.Figures f) {
    return String.format(Locale.ROOT, "  %.1f/s: %d sent, %s; accept p99 %s ms; settle p50/p99 %s/%s ms; %s settled/s;"
            + " %s CPU ms/order", f.load().rate(), f.load().sent(), f.load().outcomes(), num(f.load().acceptedMs(99)),
        num(f.settle().ms(50)), num(f.settle().ms(99)), num(f.settle().perSecond()), num(f.cpuMsPerOrder(), 2));
  }

  void print(PrintStream out, String kneeLine) {
    out.println();
    out.print(markdown(kneeLine));
    out.println();
    out.print(csv());
  }

  void write(Path dir, String kneeLine) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("orders.md"), markdown(kneeLine));
    Files.writeString(dir.resolve("orders.csv"), csv());
    writeCharts(dir);
  }

  /**
   * Next to the Markdown: settled against offered rate with the knee, accept latency against rate beside the bare
   * vertx-web ceiling, and CPU per order against rate.
   */
  void writeCharts(Path dir) throws IOException {
    double[] rates = rows.stream().mapToDouble(f -> f.load().rate()).toArray();
    SvgChart throughput = new SvgChart("bench orders: settled against offered", "offered orders/s", "orders/s")
        .line("offered", rates, rates)
        .line("settled (confirmed and emailed)", rates, rows.stream().mapToDouble(f -> f.settle().perSecond()).toArray());
    if (!Double.isNaN(knee)) {
      throughput.marker(knee, limitReached ? "knee " + num(knee) + "/s"
          : "limit not reached up to " + num(knee) + "/s");
    }
    throughput.write(dir.resolve("orders-throughput.svg"));
    new SvgChart("bench orders: accept latency (POST /orders to 202)", "offered orders/s", "ms")
        .line("accept p50", rates, rows.stream().mapToDouble(f -> f.load().acceptedMs(50)).toArray())
        .line("accept p99", rates, rows.stream().mapToDouble(f -> f.load().acceptedMs(99)).toArray())
        .line("bare vertx-web p50", rates, rows.stream()
            .mapToDouble(f -> f.ceiling() == null ? Double.NaN : f.ceiling().acceptedMs(50)).toArray())
        .line("bare vertx-web p99", rates, rows.stream()
            .mapToDouble(f -> f.ceiling() == null ? Double.NaN : f.ceiling().acceptedMs(99)).toArray())
        .write(dir.resolve("orders-latency.svg"));
    new SvgChart("bench orders: CPU per settled order, all nodes", "offered orders/s", "CPU ms per order")
        .line("CPU ms/order", rates, rows.stream().mapToDouble(OrderWindow.Figures::cpuMsPerOrder).toArray())
        .write(dir.resolve("orders-cpu.svg"));
  }

  String markdown(String kneeLine) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "## bench orders, %s%n%n", startedAt));
    md.append(String.format(Locale.ROOT, "Against %s; %d SKU(s), ample stock; warm-up %s s; windows of %s s%s.%n%n",
        where, options.skus(), num(options.warmup().toMillis() / 1e3), num(options.duration().toMillis() / 1e3),
        options.stepping() ? String.format(Locale.ROOT, ", the rate x%s per window until settle p99 > %s ms or an"
            + " answer fails", num(options.stepFactor(), 2), num(options.settleLimit().toMillis())) : ""));
    md.append(idleLine()).append("\n\n");
    md.append("| rate /s | sent | 2xx | failed | accept p50 / p99 / p99.9 ms | ceiling p50 / p99 / p99.9 ms"
        + " | settle p50 / p99 ms | settled /s | unsettled | CPU ms/order, all nodes | above idle | bench CPU % / lag ms |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (OrderWindow.Figures f : rows) {
      OpenLoad.Result load = f.load();
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s / %s | %s | %d | %s | %s | %s / %s |%n",
          num(load.rate()), load.sent(), load.sent() - load.failed(), load.failed(), percentiles(load), f.ceiling() == null
              ? "not run" : percentiles(f.ceiling()), num(f.settle().ms(50)), num(f.settle().ms(99)),
          num(f.settle().perSecond()), f.settle().unsettled(), num(f.cpuMsPerOrder(), 2), num(aboveIdle(f), 2),
          num(f.generatorCpuPercent()),
          num(load.maxLagMicros() / 1e3)));
    }
    md.append("\n| rate /s | node | CPU ms/order | CPU % of a core | GC pauses ms (count) | live threads |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (OrderWindow.Figures f : rows) {
      for (String node : nodes) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s (%s) | %s |%n", num(f.load().rate()), node,
            num(f.cpuMsPerOrder(node), 2), num(f.cpuPercent(f.cpu(), node)), num(f.jvm().gcMillis(node)),
            num(f.jvm().gcCount(node)), num(f.jvm().threads(node))));
      }
    }
    md.append('\n').append(kneeLine).append("\n\n").append(HOW).append('\n');
    return md.toString();
  }

  String csv() {
    StringBuilder csv = new StringBuilder("rate_per_s,duration_s,sent,accepted,failed,accept_p50_ms,accept_p99_ms,"
        + "accept_p999_ms,ceiling_p50_ms,ceiling_p99_ms,ceiling_p999_ms,settle_p50_ms,settle_p99_ms,settled_per_s,"
        + "unsettled,cpu_ms_per_order_total,cpu_ms_per_order_above_idle");
    for (String node : nodes) {
      csv.append(",cpu_ms_per_order_").append(node).append(",gc_ms_").append(node).append(",gc_count_").append(node)
          .append(",threads_").append(node);
    }
    csv.append(",idle_cpu_pct_total,bench_cpu_pct,bench_max_lag_ms\n");
    for (OrderWindow.Figures f : rows) {
      OpenLoad.Result load = f.load();
      OpenLoad.Result c = f.ceiling();
      List<String> cells = new ArrayList<>(List.of(csvNum(load.rate()), csvNum(load.duration().toMillis() / 1e3),
          String.valueOf(load.sent()), String.valueOf(load.sent() - load.failed()), String.valueOf(load.failed()),
          csvNum(load.acceptedMs(50)), csvNum(load.acceptedMs(99)), csvNum(load.acceptedMs(99.9)),
          csvNum(c == null ? Double.NaN : c.acceptedMs(50)), csvNum(c == null ? Double.NaN : c.acceptedMs(99)),
          csvNum(c == null ? Double.NaN : c.acceptedMs(99.9)), csvNum(f.settle().ms(50)), csvNum(f.settle().ms(99)),
          csvNum(f.settle().perSecond()), String.valueOf(f.settle().unsettled()), csvNum(f.cpuMsPerOrder()),
          csvNum(aboveIdle(f))));
      for (String node : nodes) {
        cells.addAll(List.of(csvNum(f.cpuMsPerOrder(node)), csvNum(f.jvm().gcMillis(node)), csvNum(f.jvm().gcCount(node)),
            csvNum(f.jvm().threads(node))));
      }
      cells.addAll(List.of(csvNum(idleTotal()), csvNum(f.generatorCpuPercent()), csvNum(load.maxLagMicros() / 1e3)));
      csv.append(String.join(",", cells)).append('\n');
    }
    return csv.toString();
  }

  private String idleLine() {
    if (idlePercent.isEmpty()) {
      return "Idle CPU: n/a (no node pids; give --pids name=pid,... with --target).";
    }
    return String.format(Locale.ROOT, "Idle CPU (%s s, no traffic, after the warm-up drained): %s; the cluster %s %% of"
            + " one core.", num(options.idle().toMillis() / 1e3), idlePercent.entrySet().stream()
            .map(e -> e.getKey() + " " + num(e.getValue(), 2) + " %").collect(Collectors.joining(", ")),
        num(idleTotal(), 2));
  }

  /**
   * CPU ms per order once the cluster's idle CPU (as measured, for as long as the window) is taken off: what
   * the orders added, since the idle part is paid whether orders come or not.
   */
  private double aboveIdle(OrderWindow.Figures f) {
    double idleMillis = idleTotal() / 100 * f.settle().windowSeconds() * 1e3;
    return (f.cpu().totalMillis() - idleMillis) / f.settle().settledInWindow();
  }

  private double idleTotal() {
    return idlePercent.isEmpty() ? Double.NaN : idlePercent.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * The knee: the last rate of a {@code --step} run that stayed within the limit; {@code limitReached} says
   * whether the last window passed it (else the run ended at {@code --max-steps}).
   */
  String kneeLine(double knee, boolean limitReached) {
    this.knee = knee;
    this.limitReached = limitReached;
    if (!options.stepping()) {
      return "Knee: not searched (no --step).";
    }
    OrderWindow.Figures last = rows.get(rows.size() - 1);
    String stop = limitReached
        ? String.format(Locale.ROOT, "the limit was passed at %s/s: settle p99 %s ms, %d failed, %d unsettled",
            num(last.load().rate()), num(last.settle().ms(99)), last.load().failed(), last.settle().unsettled())
        : "the limit was not reached within --max-steps " + options.maxSteps() + " windows";
    return Double.isNaN(knee)
        ? "Knee: below the first rate (" + stop + ")."
        : String.format(Locale.ROOT, "**Knee: %s orders/s**, the last rate with settle p99 <= %s ms and every order"
            + " accepted and settled (%s).", num(knee), num(options.settleLimit().toMillis()), stop);
  }

  private static final String HOW = """
      How each figure is measured:
      - accept: `POST /orders` to its `202`, open loop (each request leaves on its schedule whatever the earlier \
      answers do), from the request's intended send time, HdrHistogram; failed = not 2xx or no answer.
      - ceiling: the same open loop at the same rate against a bare vertx-web server in the bench JVM that parses \
      the body and answers `202` with a small JSON body (no event bus, no cluster), right after the window.
      - settle: from the `202`'s arrival at the bench to the later of CONFIRMED/REJECTED and EmailSent in the order's \
      timeline (the nodes' clocks, this machine's), read once per order (`GET /orders/{id}`) after the backlog \
      drained, not polled while running.
      - settled /s: orders of the window whose settle moment falls within the window, per second of it.
      - CPU ms/order: each node JVM's process CPU time (utime + stime of `/proc/<pid>/stat`) over the window, \
      divided by the orders settled in it; above idle: the same after taking off the idle CPU for as long as the \
      window; % of a core is the CPU per second of the window.
      - GC: `jvm_gc_pause_seconds` sum (count) over the window, per node, from `GET /metrics`; live threads: \
      `jvm_threads_live_threads` at the end of the window.
      - bench CPU / lag: the load generator's own CPU (it shares the machine) and how late it sent a request at worst.
      """;

  private static String percentiles(OpenLoad.Result r) {
    return num(r.acceptedMs(50)) + " / " + num(r.acceptedMs(99)) + " / " + num(r.acceptedMs(99.9));
  }

  private static String num(double value) {
    return num(value, 1);
  }

  private static String num(double value, int decimals) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "n/a";
  }

  private static String csvNum(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "";
  }
}
