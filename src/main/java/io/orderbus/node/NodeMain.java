package io.orderbus.node;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code orderbus node ...}: one node until SIGTERM / Ctrl-C, or until the launcher that started it is gone. */
final class NodeMain {
  private NodeMain() {
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
