package io.orderbus.node;

import picocli.CommandLine;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code orderbus node ...}: one node until SIGTERM / Ctrl-C, or until the launcher that started it is gone. */
public final class NodeMain {
  private NodeMain() {
  }

  /** {@code orderbus node}: every setting a flag, and an environment variable. */
  @CommandLine.Command(name = "node", header = "One node: the roles given, until SIGTERM or Ctrl-C.",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class,
      sortOptions = false, description = {"It also stops when the launcher that started it is gone. Every setting is a"
          + " flag (httpPort: --http-port) and an environment variable (ORDERBUS_HTTP_PORT); flags win over the"
          + " environment, which wins over the settings file.",
          "e.g. node --roles gateway,order,inventory,email --http-port 8080 --cluster-host 127.0.0.1 --cluster-port"
              + " 5701 --members 127.0.0.1:5701,127.0.0.1:5702"})
  public static final class Command extends NodeSettingsCommand {
    @Override
    public Integer call() throws Exception {
      run(settings());
      return 0;
    }
  }

  static void run(List<String> flags) throws InterruptedException {
    NodeConfig config = NodeConfig.load(flags, System.getenv());
    // Before starting: a node started again may wait a long time for its members, and must not outlive its launcher.
    Cli.exitWithParent();
    Node node;
    try {
      node = Node.start(config).await(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("orderbus: node failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop().await(20, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Exiting anyway; the cluster notices the missing member by its heartbeat.
      }
      stopped.countDown();
    }, "orderbus-shutdown"));
    node.exitWhenCutOff(() -> System.exit(MinorityWatchdog.EXIT_STATUS));
    stopped.await();
  }
}
