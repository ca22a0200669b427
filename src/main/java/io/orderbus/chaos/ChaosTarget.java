package io.orderbus.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The real {@link FaultTarget}: the cluster's JVMs, signalled as the operating system does, and the SMTP server. */
final class ChaosTarget implements FaultTarget {
  /**
   * How long every gateway must see every node, and the cluster say it is safe (every backup in sync), without
   * a miss, before the cluster counts as recovered: a node back in the member list may still be migrating
   * partitions and re-creating backups, and a node resumed just past the failure detector may be dropped a
   * moment later and merge back only then. The next node fault waits for this, as an operator's rolling
   * restart would: a node taken down while backups are missing loses what had its only copy there.
   */
  static final Duration STABLE_FOR = Duration.ofSeconds(5);
  /** The failure detector's 5 s, and a little: the master has dropped the paused node by then. */
  static final Duration DUMP_AFTER_PAUSE = Duration.ofMillis(6_500);
  private static final long PROBE_MS = 500;

  private final ChaosCluster cluster;
  private final SmtpSink smtp;
  private final Gateways gateways;
  private final RunClock clock;
  private final java.util.List<History.Exit> exits = new java.util.concurrent.CopyOnWriteArrayList<>();

  ChaosTarget(ChaosCluster cluster, SmtpSink smtp, Gateways gateways, RunClock clock) {
    this.clock = clock;
    this.cluster = cluster;
    this.smtp = smtp;
    this.gateways = gateways;
  }

  @Override
  public String nodeName(int node) {
    return cluster.name(node);
  }

  @Override
  public void kill(int node) throws Exception {
    cluster.jvm(node).kill();
  }

  @Override
  public void restart(int node) throws Exception {
    cluster.restart(node);
  }

  @Override
  public void pause(int node) throws Exception {
    cluster.jvm(node).pause();
    dumpOthersLater(node);
  }

  /**
   * Thread dumps of the other nodes ({@code <logs>/<node>-threads-<ms>.txt}) just after the failure detector
   * has given up on the paused one: the moment a master was seen to fall silent to the other members (finding
   * 10 in docs/chaos.md), which a dump of it then can explain.
   */
  private void dumpOthersLater(int paused) {
    Thread dumps = new Thread(() -> {
      try {
        Thread.sleep(DUMP_AFTER_PAUSE.toMillis());
        for (int i = 0; i < cluster.size(); i++) {
          var jvm = cluster.jvm(i);
          if (i == paused || jvm == null || !jvm.isAlive()) {
            continue;
          }
          jvm.jcmd(cluster.logs().resolve(cluster.name(i) + "-threads-" + System.currentTimeMillis() + ".txt"),
              Duration.ofSeconds(10), "Thread.print");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        System.out.println("[chaos] thread dumps after a pause failed: " + e);
      }
    }, "chaos-thread-dumps");
    dumps.setDaemon(true);
    dumps.start();
  }

  @Override
  public void resume(int node) throws Exception {
    cluster.jvm(node).resume();
  }

  @Override
  public boolean awaitRecovered(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long stableSince = -1;
    while (System.nanoTime() < deadline) {
      try {
        restartAnyDead();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        System.out.println("[chaos] a node could not be started again: " + e);
      }
      if (everyGatewaySeesEveryNode()) {
        long now = System.nanoTime();
        stableSince = stableSince < 0 ? now : stableSince;
        if (now - stableSince >= STABLE_FOR.toNanos()) {
          return true;
        }
      } else {
        stableSince = -1;
      }
      Thread.sleep(PROBE_MS);
    }
    return false;
  }

  /** Every gateway answers {@code /cluster}, lists all five nodes and says the cluster is safe. */
  boolean everyGatewaySeesEveryNode() {
    for (int port : gateways.ports()) {
      JsonObject view = gateways.getOn(port, "/cluster");
      if (view == null || !view.getBoolean("safe", false)) {
        return false;
      }
      Set<String> seen = new HashSet<>();
      view.getJsonArray("nodes", new JsonArray()).forEach(n -> seen.add(((JsonObject) n).getString("name")));
      if (!seen.containsAll(cluster.names())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Any node whose JVM is gone (it should not be: no fault is under way) is started again, as a supervisor would
   * start a node that exited because it stayed cut off from the others.
   */
  void restartAnyDead() throws Exception {
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.jvm(i) == null || !cluster.jvm(i).isAlive()) {
        System.out.println("[chaos] " + cluster.name(i) + " is not running (it exited by itself): starting it again");
        exits.add(new History.Exit(cluster.name(i), clock.elapsed()));
        cluster.restart(i);
      }
    }
  }

  /** Nodes found not running though no fault had stopped them, in the order found. */
  java.util.List<History.Exit> exits() {
    return java.util.List.copyOf(exits);
  }

  @Override
  public void stopSmtp() {
    smtp.stop();
  }

  @Override
  public void startSmtp() {
    smtp.start();
  }

  List<String> names() {
    return cluster.names();
  }
}
