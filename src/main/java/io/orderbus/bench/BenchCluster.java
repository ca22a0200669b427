package io.orderbus.bench;

import io.orderbus.node.ChildJvm;
import io.orderbus.node.Cli;
import io.orderbus.node.JvmCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The 3-JVM cluster a benchmark starts on loopback, shaped as the launcher's default (gateway+order,
 * inventory, email), with free ports and a random cluster name. The JVMs start in parallel (each takes
 * seconds to boot) and stop with this one: {@link #close()}, or their parent-pid watch if it dies. The gateway's
 * admin token is a random one unless the flags name one, so that the benchmark's operator calls ({@code PUT
 * /inventory}, {@code /cluster}, {@code /metrics}) are made as on a cluster set up properly.
 */
final class BenchCluster implements AutoCloseable {
  private static final String HEAP = "384m";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final List<ChildJvm> children = new ArrayList<>();
  private final int httpPort;
  private final String adminToken;
  private List<Integer> clusterPorts = List.of();
  private List<String> common = List.of();
  private ChildJvm email;

  private BenchCluster(int httpPort, String adminToken) {
    this.httpPort = httpPort;
    this.adminToken = adminToken;
  }

  /**
   * Starts the three nodes with {@code flags} (node settings) added to each; returns once all are ready. The admin
   * token is the flags' {@code --admin-token}, or a random one.
   */
  static BenchCluster start(String prefix, List<String> flags) throws Exception {
    List<String> settings = new ArrayList<>(flags);
    BenchCluster cluster = new BenchCluster(Cli.freePort(), Cli.take(settings, "--admin-token", UUID.randomUUID().toString()));
    List<Integer> ports = List.of(Cli.freePort(), Cli.freePort(), Cli.freePort());
    List<String> common = new ArrayList<>(List.of("--cluster-name", prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
        "--cluster-host", "127.0.0.1", "--members", "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1)
            + ",127.0.0.1:" + ports.get(2)));
    common.addAll(List.of("--admin-token", cluster.adminToken));
    common.addAll(settings);
    cluster.clusterPorts = ports;
    cluster.common = List.copyOf(common);
    ExecutorService starter = Executors.newFixedThreadPool(3);
    try {
      List<CompletableFuture<ChildJvm>> starting = List.of(
          startAsync(starter, node("n1-gateway+order", "gateway,order", ports.get(0), cluster.httpPort, common)),
          startAsync(starter, node("n2-inventory", "inventory", ports.get(1), 0, common)),
          startAsync(starter, node("n3-email", "email", ports.get(2), 0, common)));
      for (CompletableFuture<ChildJvm> child : starting) {
        try {
          cluster.children.add(child.get(200, TimeUnit.SECONDS));
        } catch (Exception e) {
          // The others may be up or still starting: stop them before giving up, so that nothing is left running.
          for (CompletableFuture<ChildJvm> other : starting) {
            try {
              ChildJvm started = other.get(200, TimeUnit.SECONDS);
              if (!cluster.children.contains(started)) {
                cluster.children.add(started);
              }
            } catch (Exception alsoFailed) {
              // Nothing of it to stop.
            }
          }
          cluster.close();
          throw e;
        }
      }
      cluster.email = cluster.children.get(2);
      return cluster;
    } finally {
      starter.shutdownNow();
    }
  }

  int httpPort() {
    return httpPort;
  }

  /** The token the gateway's operator routes ask for. */
  String adminToken() {
    return adminToken;
  }

  /** Each running node's process id by node name, in start order (gateway+order, inventory, email). */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    children.forEach(child -> pids.put(child.name(), child.pid()));
    return pids;
  }

  /** SIGKILLs the email node. */
  void killEmail() throws InterruptedException {
    children.remove(email);
    email.kill();
  }

  /** Starts a new email node on the killed one's cluster port; returns once it is ready. */
  void restartEmail() throws Exception {
    email = startNode("n3-email-again", HEAP, node("n3-email-again", "email", clusterPorts.get(2), 0, common));
    children.add(email);
  }

  @Override
  public void close() throws InterruptedException {
    for (ChildJvm child : List.copyOf(children)) {
      child.stop(STOP_GRACE);
    }
    children.clear();
  }

  private static List<String> node(String name, String roles, int clusterPort, int httpPort, List<String> common) {
    List<String> args = new ArrayList<>(List.of("node", "--node-name", name, "--roles", roles,
        "--cluster-port", String.valueOf(clusterPort), "--http-port", String.valueOf(httpPort)));
    args.addAll(common);
    return args;
  }

  private static CompletableFuture<ChildJvm> startAsync(ExecutorService executor, List<String> args) {
    String name = args.get(2);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return startNode(name, HEAP, args);
      } catch (Exception e) {
        throw new IllegalStateException(name + " did not start: " + e.getMessage(), e);
      }
    }, executor);
  }

  /**
   * Starts {@code java -jar orderbus.jar <args>} and returns once it is ready. Only its warnings and errors are shown,
   * prefixed with its name, so that they do not drown a benchmark's figures.
   */
  static ChildJvm startNode(String name, String heap, List<String> args) throws Exception {
    ChildJvm child = ChildJvm.named(name).command(JvmCommand.ofThisJar().heap(heap).args(args))
        .onLine(line -> {
          if (line.contains("WARN") || line.contains("SEVE") || line.contains("Exception")) {
            System.out.println("[" + name + "] " + line);
          }
        })
        .start();
    child.awaitReady(READY_TIMEOUT);
    return child;
  }
}
