package io.orderbus.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code orderbus cluster}: the main job. Starts N separate JVMs of this jar on 127.0.0.1 (by default
 * gateway+order, inventory, email), waits until every one is ready, prints where to send requests, and
 * on Ctrl-C / SIGTERM stops them all. Children also stop by themselves if this launcher dies. A child that
 * exits because it stayed cut off from the others ({@link MinorityWatchdog}) is started again, as any
 * supervisor would.
 */
final class LocalCluster {
  private static final long READY_TIMEOUT_SECONDS = 180;

  private final List<Child> children = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  private record Child(String name, List<String> command, Map<String, String> env, Process process) {
    Child again() throws IOException {
      return new Child(name, command, env, launch(command, env));
    }
  }

  private static Process launch(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  private LocalCluster() {
  }

  static int run(List<String> args) throws Exception {
    return new LocalCluster().start(args);
  }

  private int start(List<String> args) throws Exception {
    // Validate every flag here, once, rather than in N children.
    NodeConfig config = NodeConfig.load(args, System.getenv());
    int nodes = config.integer("nodes");
    if (nodes < 1 || nodes > 9) {
      throw new NodeConfig.InvalidConfigException("nodes must be from 1 to 9");
    }
    int httpPort = config.integer("httpPort");
    // The children get the rest as given; these two the launcher decides per child.
    List<String> passThrough = new ArrayList<>(args);
    Cli.take(passThrough, "--nodes", null);
    Cli.take(passThrough, "--http-port", null);
    // Secrets reach the children in their environment, never on a command line that ps shows.
    Map<String, String> secrets = new java.util.HashMap<>();
    for (String key : NodeConfig.SECRETS) {
      String kebab = "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
      for (String flag : List.of(kebab, kebab + "-file")) {
        passThrough.removeIf(arg -> arg.startsWith(flag + "="));
        Cli.take(passThrough, flag, null);
      }
      if (!config.string(key).equals(NodeConfig.defaultsOnly().string(key))) {
        secrets.put("ORDERBUS_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT), config.string(key));
      }
    }
    String clusterName = "orderbus-local-" + UUID.randomUUID().toString().substring(0, 8);
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      clusterPorts.add(Cli.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));

    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "orderbus-launcher-shutdown"));
    CountDownLatch ready = new CountDownLatch(nodes);
    for (int i = 0; i < nodes; i++) {
      List<String> roles = rolesOf(i, nodes);
      String name = "n" + (i + 1) + "-" + String.join("+", roles);
      List<String> command = new ArrayList<>(Cli.javaCommand(config.string("childHeap")));
      command.addAll(List.of("node", "--node-name", name, "--roles", String.join(",", roles),
          "--cluster-name", clusterName, "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPorts.get(i)),
          "--members", members, "--http-port", String.valueOf(roles.contains("gateway") ? httpPort : 0),
          // A majority, so that a node cut off (or paused) alone cannot change what the others own. A flag
          // given to the launcher comes later and wins.
          "--min-cluster-size", String.valueOf(nodes / 2 + 1)));
      command.addAll(passThrough);
      Child child = new Child(name, command, secrets, launch(command, secrets));
      children.add(child);
      pipe(child, ready);
    }
    if (!ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS) || children.stream().anyMatch(c -> !c.process().isAlive())) {
      System.err.println("orderbus: not every node became ready; stopping all of them");
      stopAll();
      return 1;
    }
    String url = "http://" + config.string("httpHost") + ":" + httpPort;
    System.out.println();
    System.out.println("orderbus: " + nodes + " nodes ready (" + children.stream().map(Child::name)
        .collect(Collectors.joining(", ")) + "), cluster " + clusterName);
    System.out.println("orderbus: gateway at " + url);
    System.out.println("orderbus: try  curl -i -X POST " + url + "/orders -H 'Content-Type: application/json' "
        + "-d '{\"customerEmail\":\"ada@example.com\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}'");
    // The token itself only while it is the shipped one, known to everyone anyway: a secret is not printed.
    String token = config.string("adminToken");
    System.out.println("orderbus: operator API (PUT /inventory, /emails, /cluster, /metrics, /admin/*): add  -H "
        + "'Authorization: Bearer " + (token.equals(NodeConfig.defaultsOnly().string("adminToken")) ? token
        : "<the adminToken you gave>") + "'");
    System.out.println("orderbus: Ctrl-C stops every node");
    // Until every node has ended for good: one started again replaces its old process in the list.
    List<Child> waited;
    do {
      waited = List.copyOf(children);
      for (Child child : waited) {
        child.process().waitFor();
      }
      Thread.sleep(200);
    } while (!waited.equals(List.copyOf(children)));
    return 0;
  }

  /** gateway+order on the first node, then inventory, then email; more nodes add service capacity. */
  static List<String> rolesOf(int index, int nodes) {
    if (nodes == 1) {
      return List.of("gateway", "order", "inventory", "email");
    }
    if (nodes == 2) {
      return index == 0 ? List.of("gateway", "order") : List.of("inventory", "email");
    }
    return switch (index) {
      case 0 -> List.of("gateway", "order");
      case 1 -> List.of("inventory");
      case 2 -> List.of("email");
      default -> List.of("order", "inventory", "email");
    };
  }

  private void pipe(Child child, CountDownLatch ready) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.process().getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println("[" + child.name() + "] " + line);
          if (line.startsWith(Node.READY_LINE)) {
            ready.countDown();
          }
        }
      } catch (IOException ignored) {
        // The child is gone; its exit is reported below.
      }
      int code;
      try {
        // Output ends a moment before the process does.
        code = child.process().waitFor(10, TimeUnit.SECONDS) ? child.process().exitValue() : -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        code = -1;
      }
      System.out.println("[" + child.name() + "] exited (" + code + ")");
      if (code == MinorityWatchdog.EXIT_STATUS && !stopping) {
        restart(child, ready);
        return;
      }
      // A child that dies before it is ready must not leave the launcher waiting for the timeout.
      while (code != -1 && ready.getCount() > 0) {
        ready.countDown();
      }
    }, "orderbus-pipe-" + child.name());
    reader.setDaemon(true);
    reader.start();
  }

  private void restart(Child child, CountDownLatch ready) {
    System.out.println("[" + child.name() + "] left after being cut off from the others: starting it again");
    try {
      Child again = child.again();
      children.set(children.indexOf(child), again);
      pipe(again, ready);
    } catch (IOException e) {
      System.out.println("[" + child.name() + "] could not be started again: " + e.getMessage());
    }
  }

  private synchronized void stopAll() {
    stopping = true;
    for (Child child : children) {
      child.process().destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (Child child : children) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        if (!child.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          child.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        child.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
