package io.orderbus.node;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.logging.LogManager;

/**
 * The command line: {@code cluster} (the default) starts a local cluster of separate JVMs,
 * {@code node} starts one node, {@code bench} measures, {@code chaos} checks what faults cost.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    // Before anything touches the common pool: with one core's worth of parallelism, CompletableFuture
    // (and so Hazelcast's async callbacks) falls back to a new thread per task.
    if (System.getProperty(JvmCommand.COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(JvmCommand.COMMON_POOL_PARALLELISM,
          String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    System.setProperty("hazelcast.logging.type", "jdk");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    configureLogging();

    String command = args.length == 0 || args[0].startsWith("--") ? "cluster" : args[0];
    List<String> rest = Arrays.asList(args).subList(args.length == 0 || args[0].startsWith("--") ? 0 : 1, args.length);
    try {
      switch (command) {
        case "node" -> NodeMain.run(rest);
        case "cluster" -> System.exit(LocalCluster.run(rest));
        case "bench" -> System.exit(bench(rest));
        case "bench-member" -> io.orderbus.bench.BenchMember.run(rest);
        case "chaos" -> System.exit(io.orderbus.chaos.ChaosCommand.run(rest));
        case "help", "--help", "-h" -> usage();
        default -> {
          System.err.println("unknown command '" + command + "'");
          usage();
          System.exit(2);
        }
      }
    } catch (NodeConfig.InvalidConfigException e) {
      System.err.println("orderbus: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * {@code bench tradeoffs ...}, {@code bench spike ...}, {@code bench orders ...}, or the durable path alone
   * ({@code bench ...}).
   */
  private static int bench(List<String> args) throws Exception {
    String kind = args.isEmpty() ? "" : args.get(0);
    List<String> rest = args.subList(Math.min(1, args.size()), args.size());
    return switch (kind) {
      case "tradeoffs" -> io.orderbus.bench.TradeoffBench.run(rest);
      case "spike" -> io.orderbus.bench.SpikeBench.run(rest);
      case "orders" -> io.orderbus.bench.OrderBench.run(rest);
      default -> io.orderbus.bench.DurableBench.run(args);
    };
  }

  private static void usage() {
    System.out.println("""
        usage:
          java -jar orderbus.jar [cluster] [--nodes 3] [--http-port 8080] [--<setting> value ...]
              a local cluster of separate JVMs on 127.0.0.1; Ctrl-C stops them all
          java -jar orderbus.jar node --roles gateway,order,inventory,email --http-port 8080 \\
              --cluster-host 127.0.0.1 --cluster-port 5701 --members 127.0.0.1:5701,127.0.0.1:5702
              one node; every setting of conf/orderbus.json is a flag (httpPort -> --http-port)
              and an environment variable (ORDERBUS_HTTP_PORT)
          java -jar orderbus.jar bench [--events 300000] [--warmup 400000] [--rounds 5] [--window 512] [--payload-bytes 200]
              durable delivery alone across 2 JVMs: msg/s and ack latency p50/p99
          java -jar orderbus.jar bench tradeoffs [--orders 2000] [--warmup 4000] [--rounds 3] [--concurrency 16] [--spike 2000]
              [--spike-concurrency 256] [--outage-orders 200] [--skus 1] [--<setting> value ...]
              async against sync on a 3-JVM cluster: wait, consistency, tracing, a spike, email down
          java -jar orderbus.jar bench spike [--factor 2 | --rate R] [--duration 15] [--warmup 15] [--calibrate 5]
              [--skus 8] [--connections 256] [--drain-timeout 120] [--target http://host:port --admin-token T]
              [--<setting> value ...]
              capacity in settled orders/s, then factor x capacity offered open loop: 503s, accept latency,
              time to drain, dead letters, handled/published per group (own 3-JVM cluster, or --target)
          java -jar orderbus.jar bench orders [--rate 100] [--duration 20] [--skus 16] [--warmup 300] [--idle 10]
              [--step [1.25] [--max-steps 20] [--settle-limit 1]] [--ceiling-duration 10] [--connections 256]
              [--drain-timeout 120] [--out DIR] [--target http://host:port --admin-token T [--pids name=pid,...]]
              [--<setting> value ...]
              the cost of an async order, open loop: accept p50/p99/p99.9, settle p50/p99 (202 to confirmed and
              emailed), settled/s, CPU ms per order per node, GC and threads per node, idle CPU, a bare
              vertx-web ceiling at the same rate; --step raises the rate until settle p99 passes the limit (the knee)
          java -jar orderbus.jar chaos [--duration 10m] [--seed N] [--rate 8] [--out target/chaos] [--settle-timeout 3m]
              5 JVMs (every role twice) and an SMTP server under a steady stream of async and sync orders and
              sign-ups, while a seeded schedule SIGKILLs and restarts nodes, SIGSTOPs one for 3-10 s and stops
              the SMTP server; then checks every order final and as told, mails exactly as promised (counted at
              the SMTP server), stock conserved, no dead letters; exit 0 if all hold, 1 if not, 2 for bad usage
        """);
  }

  private static void configureLogging() throws Exception {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Main.class.getClassLoader().getResourceAsStream("orderbus-logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    }
  }
}
