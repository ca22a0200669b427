package io.orderbus.node;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.logging.LogManager;

/**
 * The command line: {@code cluster} (the default) starts a local cluster of separate JVMs,
 * {@code node} starts one node, {@code bench} measures.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    // Before anything touches the common pool: with one core's worth of parallelism, CompletableFuture
    // (and so Hazelcast's async callbacks) falls back to a new thread per task.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
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
        case "bench" -> System.exit(!rest.isEmpty() && rest.get(0).equals("tradeoffs")
            ? io.orderbus.bench.TradeoffBench.run(rest.subList(1, rest.size()))
            : io.orderbus.bench.DurableBench.run(rest));
        case "bench-member" -> io.orderbus.bench.BenchMember.run(rest);
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
