package io.orderbus.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A cluster of separate JVMs of the built jar, on loopback, with free ports and a random cluster name.
 * Every node lists the cluster ports of all {@code slots}, so a node started later (a restart) joins.
 * {@link #close()} kills whatever is still running, newest first.
 */
public final class ProcessNodes implements AutoCloseable {
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final String clusterName = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<NodeProcess> processes = new ArrayList<>();

  public ProcessNodes(int slots) {
    for (int i = 0; i < slots; i++) {
      clusterPorts.add(Ports.free());
    }
  }

  public String members() {
    return String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** Starts node {@code slot} with its roles and extra flags; returns once it is ready. */
  public NodeProcess start(int slot, String roles, String... flags) throws Exception {
    NodeProcess process = launch(slot, roles, flags);
    process.awaitReady(READY_TIMEOUT);
    return process;
  }

  /** The main job's three JVMs, ready: gateway+order (slot 0), inventory (1), email (2); the gateway's HTTP port. */
  public record Layout(NodeProcess gateway, NodeProcess inventory, NodeProcess email, int httpPort) {
  }

  /** Starts the main job's three JVMs at once, each with {@code flags}, and waits for all three. */
  public Layout startLayout(String... flags) throws Exception {
    NodeProcess gateway = launch(0, "gateway,order", flags);
    NodeProcess inventory = launch(1, "inventory", flags);
    NodeProcess email = launch(2, "email", flags);
    int port = gateway.awaitReady(READY_TIMEOUT);
    inventory.awaitReady(READY_TIMEOUT);
    email.awaitReady(READY_TIMEOUT);
    return new Layout(gateway, inventory, email, port);
  }

  /** Starts node {@code slot} without waiting for it. */
  public NodeProcess launch(int slot, String roles, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("node",
        "--node-name", "s" + slot + "-" + roles.replace(',', '+'),
        "--roles", roles,
        "--cluster-name", clusterName,
        "--cluster-host", "127.0.0.1",
        "--cluster-port", String.valueOf(clusterPorts.get(slot)),
        "--members", members(),
        "--http-port", "0"));
    args.addAll(Arrays.asList(flags));
    NodeProcess process = NodeProcess.start("s" + slot + "-" + roles.replace(',', '+'), args);
    processes.add(process);
    return process;
  }

  @Override
  public void close() throws Exception {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
  }

  /** {@code common} flags followed by {@code more}. */
  public static String[] flags(String[] common, String... more) {
    String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
    System.arraycopy(more, 0, all, common.length, more.length);
    return all;
  }
}
