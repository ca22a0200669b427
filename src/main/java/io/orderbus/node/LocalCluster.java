package io.orderbus.node;

import java.io.IOException;
import java.time.Duration;
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
public final class LocalCluster {
  private static final long READY_TIMEOUT_SECONDS = 180;
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final List<Child> children = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  /** A node as started: how to start it again, and its JVM. */
  private record Child(String name, JvmCommand command, Map<String, String> env, ChildJvm jvm) {
    Process process() {
      return jvm.process();
    }
  }

  private LocalCluster() {
  }

  public static int run(List<String> args) throws Exception {
    return new LocalCluster().start(args);
  }

  private int start(List<String> args) throws Exception {
    // Validate every flag here, once, rather than in N children.
    NodeConfig config = NodeConfig.load(args, System.getenv());
    Settings settings = config.settings();
    int nodes = settings.launcher().nodes();
    if (nodes < 1 || nodes > 9) {
      throw new NodeConfig.InvalidConfigException("nodes must be from 1 to 9");
    }
    int httpPort = settings.http().port();
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
      List<String> nodeArgs = new ArrayList<>(List.of("node", "--node-name", name, "--roles", String.join(",", roles),
          "--cluster-name", clusterName, "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPorts.get(i)),
          "--members", members, "--http-port", String.valueOf(roles.contains("gateway") ? httpPort : 0),
          // A majority, so that a node cut off (or paused) alone cannot change what the others own. A flag
          // given to the launcher comes later and wins.
          "--min-cluster-size", String.valueOf(nodes / 2 + 1)));
      nodeArgs.addAll(passThrough);
      Child child = launch(name, JvmCommand.ofThisJar().heap(settings.launcher().childHeap()).args(nodeArgs), secrets,
          ready);
      children.add(child);
    }
    if (!ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS) || children.stream().anyMatch(c -> !c.process().isAlive())) {
      System.err.println("orderbus: not every node became ready; stopping all of them");
      stopAll();
      return 1;
    }
    String url = "http://" + settings.http().host() + ":" + httpPort;
    System.out.println();
    System.out.println("orderbus: " + nodes + " nodes ready (" + children.stream().map(Child::name)
        .collect(Collectors.joining(", ")) + "), cluster " + clusterName);
    System.out.println("orderbus: gateway at " + url);
    System.out.println("orderbus: try  curl -i -X POST " + url + "/orders -H 'Content-Type: application/json' "
        + "-d '{\"customerEmail\":\"ada@example.com\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}'");
    // The token itself only while it is the shipped one, known to everyone anyway: a secret is not printed.
    String token = settings.security().adminToken();
    System.out.println("orderbus: operator API (PUT /inventory, /emails, /cluster, /metrics, /admin/*): add  -H "
        + "'Authorization: Bearer " + (token.equals(NodeConfig.defaultsOnly().settings().security().adminToken()) ? token
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

  /**
   * Starts a node, its output shown prefixed with its name; counts {@code ready} down on its READY line, and when it
   * exits: starts it again if it left because it was cut off, or (dead before it was ready) counts {@code ready}
   * down to zero, so that the launcher does not wait for the timeout.
   */
  private Child launch(String name, JvmCommand command, Map<String, String> env, CountDownLatch ready) throws IOException {
    ChildJvm jvm = ChildJvm.named(name).command(command).env(env)
        .onLine(line -> System.out.println("[" + name + "] " + line))
        .start();
    Child child = new Child(name, command, env, jvm);
    jvm.ready().thenRun(ready::countDown);
    jvm.exited().thenAccept(code -> {
      System.out.println("[" + name + "] exited (" + code + ")");
      if (code == MinorityWatchdog.EXIT_STATUS && !stopping) {
        restart(child, ready);
        return;
      }
      while (code != -1 && ready.getCount() > 0) {
        ready.countDown();
      }
    }).exceptionally(e -> {
      System.out.println("[" + name + "] could not be followed after it exited: " + e);
      return null;
    });
    return child;
  }

  /** Starts {@code child} again; says so once its process runs, so that what reads the output finds it. */
  private void restart(Child child, CountDownLatch ready) {
    try {
      children.set(children.indexOf(child), launch(child.name(), child.command(), child.env(), ready));
      System.out.println("[" + child.name() + "] left after being cut off from the others: starting it again");
    } catch (IOException e) {
      System.out.println("[" + child.name() + "] could not be started again: " + e.getMessage());
    }
  }

  private synchronized void stopAll() {
    stopping = true;
    children.forEach(child -> child.jvm().terminate());
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (Child child : children) {
      try {
        child.jvm().stop(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        child.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
