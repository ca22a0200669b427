package io.orderbus.chaos;

import io.orderbus.node.ChildJvm;
import io.orderbus.node.Cli;
import io.orderbus.node.JvmCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The five JVMs of a chaos run on 127.0.0.1, with free ports and a random cluster name. Every role runs on
 * at least two of them, so that any one node lost leaves each role served:
 * <pre>
 *   n1 gateway,order   n2 gateway,order   n3 inventory,email   n4 inventory,email   n5 order,inventory,email
 * </pre>
 * n5 has no gateway, so that faults also hit a node no client talks to. {@code --min-cluster-size 3} (a
 * majority), so a node paused or cut off alone refuses writes rather than acting on its own copy. A node
 * started again keeps its name, its cluster port and its HTTP port; its output is appended to
 * {@code <logs>/<name>.log}. Every JVM stops with this one (parent-pid watch) and on {@link #close()}.
 */
final class ChaosCluster implements AutoCloseable {
  static final String HEAP = "320m";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  static final List<String> ROLES = List.of("gateway,order", "gateway,order", "inventory,email", "inventory,email",
      "order,inventory,email");

  private final List<String> names = new ArrayList<>();
  private final List<List<String>> args = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();
  private final ChildJvm[] jvms;
  private final Path logs;

  private ChaosCluster(Path logs) {
    this.logs = logs;
    this.jvms = new ChildJvm[ROLES.size()];
  }

  /**
   * Starts all five in parallel with {@code flags} (node settings) added to each; returns once all are ready.
   * If one does not start, those that did are stopped and the failure is thrown.
   */
  static ChaosCluster start(Path logs, List<String> flags) throws Exception {
    ChaosCluster cluster = new ChaosCluster(logs);
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < ROLES.size(); i++) {
      clusterPorts.add(Cli.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    String clusterName = "orderbus-chaos-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < ROLES.size(); i++) {
      String roles = ROLES.get(i);
      String name = "n" + (i + 1) + "-" + roles.replace(',', '+');
      int httpPort = roles.contains("gateway") ? Cli.freePort() : 0;
      List<String> node = new ArrayList<>(List.of("node", "--node-name", name, "--roles", roles,
          "--cluster-name", clusterName, "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPorts.get(i)),
          "--members", members, "--http-port", String.valueOf(httpPort), "--min-cluster-size", "3",
          // Within the run's recovery wait: a node left outside by a merge that never comes exits this soon, and
          // the run starts it again as a supervisor would.
          "--minority-timeout", "PT30S"));
      node.addAll(flags);
      cluster.names.add(name);
      cluster.args.add(List.copyOf(node));
      if (httpPort != 0) {
        cluster.httpPorts.add(httpPort);
      }
    }
    ExecutorService starter = Executors.newFixedThreadPool(ROLES.size());
    try {
      List<CompletableFuture<Void>> starting = new ArrayList<>();
      for (int i = 0; i < ROLES.size(); i++) {
        int node = i;
        starting.add(CompletableFuture.runAsync(() -> {
          try {
            cluster.restart(node);
          } catch (Exception e) {
            throw new IllegalStateException(cluster.names.get(node) + " did not start: " + e.getMessage(), e);
          }
        }, starter));
      }
      try {
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(240, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Wait for every start to end either way, so that a JVM still starting is not left behind.
        starting.forEach(f -> f.handle((v, x) -> null).join());
        cluster.close();
        throw e;
      }
      return cluster;
    } finally {
      starter.shutdownNow();
    }
  }

  int size() {
    return jvms.length;
  }

  String name(int node) {
    return names.get(node);
  }

  List<String> names() {
    return List.copyOf(names);
  }

  /** The gateways' HTTP ports (n1's, n2's). */
  List<Integer> httpPorts() {
    return List.copyOf(httpPorts);
  }

  Path logs() {
    return logs;
  }

  /** Starts node {@code node} (again), with the arguments of its first start; returns once it is ready. */
  void restart(int node) throws Exception {
    ChildJvm jvm = ChildJvm.named(names.get(node)).command(JvmCommand.ofThisJar().heap(HEAP).args(args.get(node)))
        .log(logs.resolve(names.get(node) + ".log")).start();
    jvm.awaitReady(READY_TIMEOUT);
    synchronized (jvms) {
      jvms[node] = jvm;
    }
  }

  ChildJvm jvm(int node) {
    synchronized (jvms) {
      return jvms[node];
    }
  }

  /** SIGKILLs every JVM (a paused one too) and waits for them to be gone. Safe to call more than once. */
  @Override
  public void close() throws InterruptedException {
    List<ChildJvm> running = new ArrayList<>();
    synchronized (jvms) {
      for (int i = 0; i < jvms.length; i++) {
        if (jvms[i] != null) {
          running.add(jvms[i]);
          jvms[i] = null;
        }
      }
    }
    for (ChildJvm jvm : running) {
      jvm.kill();
    }
  }
}
