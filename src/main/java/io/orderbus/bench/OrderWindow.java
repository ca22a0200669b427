package io.orderbus.bench;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One measured window of {@code bench orders}: async orders offered open loop at one rate, and what they
 * cost. Around the load it samples each node JVM's CPU time and the cluster's JVM meters; after it, it
 * waits for the backlog to drain and reads every order once for its settle time; then it drives the
 * ceiling server at the same rate. The cluster's meters are read outside the CPU window, so that reading
 * them is not counted as the orders' cost.
 *
 * <p>Blocking: call from the benchmark's main thread, never from an event loop.
 */
final class OrderWindow {
  private static final String GENERATOR = "bench";

  private final Context context;
  private final WebClient cluster;
  private final WebClient operator;
  private final WebClient ceiling;
  private final Map<String, Long> pids;
  private final SkuOrders orders;
  private final Duration requestTimeout;
  private final Duration drainTimeout;

  /**
   * What one window measured. {@code cpu}: CPU used per node over the window (empty if no pids are known);
   * {@code generatorCpu}: this JVM's; {@code jvm}: GC over the window and threads at its end; {@code ceiling}:
   * the bare server at the same rate, or null if not run.
   */
  record Figures(OpenLoad.Result load, SettleTimes settle, ProcessCpu cpu, ProcessCpu generatorCpu, JvmFigures jvm,
                 OpenLoad.Result ceiling) {

    /** CPU milliseconds per order settled in the window, of one node; NaN if unknown. */
    double cpuMsPerOrder(String node) {
      return cpu.millis(node) / settle.settledInWindow();
    }

    /** CPU milliseconds per order settled in the window, summed over the nodes; NaN if unknown. */
    double cpuMsPerOrder() {
      return cpu.byName().isEmpty() ? Double.NaN : cpu.totalMillis() / settle.settledInWindow();
    }

    /** A process's CPU over the window, in % of one core. */
    double cpuPercent(ProcessCpu of, String name) {
      return of.millis(name) / (settle.windowSeconds() * 1e3) * 100;
    }

    double generatorCpuPercent() {
      return cpuPercent(generatorCpu, GENERATOR);
    }
  }

  /**
   * {@code cluster} takes the orders, {@code operator} (the same gateway, with the admin token: see
   * {@link io.orderbus.gateway.OperatorClient}) the backlog and meter reads; {@code ceiling} is the bare server.
   */
  OrderWindow(Context context, WebClient cluster, WebClient operator, WebClient ceiling, Map<String, Long> pids,
              SkuOrders orders, Duration requestTimeout, Duration drainTimeout) {
    this.context = context;
    this.cluster = cluster;
    this.operator = operator;
    this.ceiling = ceiling;
    this.pids = pids;
    this.orders = orders;
    this.requestTimeout = requestTimeout;
    this.drainTimeout = drainTimeout;
  }

  /** Offers orders at {@code rate} for {@code duration}, measures them; then the ceiling for {@code ceilingDuration}. */
  Figures measure(double rate, Duration duration, Duration ceilingDuration) throws Exception {
    JvmFigures jvmBefore = jvm();
    ProcessCpu cpuBefore = ProcessCpu.sample(pids);
    ProcessCpu generatorBefore = ProcessCpu.self(GENERATOR);
    long startMillis = System.currentTimeMillis();
    OpenLoad.Result load = offer(cluster, rate, duration);
    long endMillis = System.currentTimeMillis();
    ProcessCpu cpu = ProcessCpu.sample(pids).minus(cpuBefore);
    ProcessCpu generator = ProcessCpu.self(GENERATOR).minus(generatorBefore);
    JvmFigures jvm = jvm().minus(jvmBefore);

    OrderWatch.Result watch = drain(load.accepted());
    SettleTimes settle = SettleTimes.of(load, watch, startMillis, endMillis);
    OpenLoad.Result bare = ceilingDuration.isZero() ? null : offer(ceiling, rate, ceilingDuration);
    return new Figures(load, settle, cpu, generator, jvm, bare);
  }

  /** POST /orders open loop to {@code client} at {@code rate} for {@code duration}; waits for every answer. */
  OpenLoad.Result offer(WebClient client, double rate, Duration duration) throws Exception {
    return OpenLoad.run(context, client, "/orders", rate, duration, requestTimeout, orders::next)
        .await(duration.plus(requestTimeout).plusSeconds(60).toSeconds(), TimeUnit.SECONDS);
  }

  /** Waits for the cluster's backlog to empty, then reads the orders {@code ids}. */
  OrderWatch.Result drain(Collection<String> ids) throws Exception {
    OrderWatch.Result watch = OrderWatch.await(context, operator, ids, drainTimeout)
        // Reading the orders comes after the drain, at a few thousand per second at worst.
        .await(drainTimeout.plusSeconds(300).toSeconds(), TimeUnit.SECONDS);
    if (!watch.drained()) {
      System.out.println("the backlog did not drain within " + drainTimeout.toSeconds() + " s");
    }
    return watch;
  }

  /** Drains the backlog of earlier orders, without reading any order. */
  void drain() throws Exception {
    drain(List.of());
  }

  /** The cluster's JVM meters now ({@code GET /metrics}). */
  JvmFigures jvm() throws Exception {
    HttpResponse<Buffer> metrics = operator.get("/metrics").send().await(60, TimeUnit.SECONDS);
    if (metrics.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: " + metrics.statusCode() + " " + metrics.bodyAsString());
    }
    return JvmFigures.parse(metrics.bodyAsString());
  }
}
