package io.orderbus.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against a stand-in cluster on a virtual clock: no process, no waiting. Each step of the stand-in
 * takes virtual time, as the real ones take real time; recovery takes {@code recoveryTakes}.
 */
class FaultRunnerTest {
  private static final Duration RUN = Duration.ofMinutes(10);
  private static final Duration START = Duration.ofSeconds(40);

  /** Virtual time: sleeping moves it on at once. */
  static final class VirtualClock implements RunClock {
    Duration now = Duration.ZERO;

    @Override
    public Duration elapsed() {
      return now;
    }

    @Override
    public void sleepUntil(Duration at) {
      if (at.compareTo(now) > 0) {
        now = at;
      }
    }

    void pass(Duration d) {
      now = now.plus(d);
    }
  }

  /** Records what was done when, and fails a node fault done while another node is down. */
  static final class StandIn implements FaultTarget {
    final VirtualClock clock;
    final Duration recoveryTakes;
    final boolean recovers;
    final Set<Integer> down = new HashSet<>();
    final List<String> log = new ArrayList<>();
    final List<Duration> faultStarts = new ArrayList<>();
    final List<Duration> recoveries = new ArrayList<>();
    int maxDown;

    StandIn(VirtualClock clock, Duration recoveryTakes, boolean recovers) {
      this.clock = clock;
      this.recoveryTakes = recoveryTakes;
      this.recovers = recovers;
    }

    @Override
    public String nodeName(int node) {
      return "n" + (node + 1);
    }

    private void fault(int node, String what) {
      faultStarts.add(clock.now);
      down.add(node);
      maxDown = Math.max(maxDown, down.size());
      log.add(what + " n" + (node + 1));
    }

    @Override
    public void kill(int node) {
      fault(node, "kill");
    }

    @Override
    public void restart(int node) {
      clock.pass(Duration.ofSeconds(12)); // a JVM's start
      log.add("restart n" + (node + 1));
    }

    @Override
    public void pause(int node) {
      fault(node, "pause");
    }

    @Override
    public void resume(int node) {
      log.add("resume n" + (node + 1));
    }

    @Override
    public boolean awaitRecovered(Duration timeout) {
      if (!recovers) {
        clock.pass(timeout);
        return false;
      }
      clock.pass(recoveryTakes);
      down.clear();
      recoveries.add(clock.now);
      return true;
    }

    @Override
    public void stopSmtp() {
      log.add("smtp stop");
    }

    @Override
    public void startSmtp() {
      log.add("smtp start");
    }
  }

  private static FaultRunner runner(FaultPlan plan, StandIn cluster) {
    return new FaultRunner(plan, cluster, cluster.clock, START, START.plus(RUN), Duration.ofSeconds(90), s -> { });
  }

  @Test
  void nodeFaultsComeOneAtATimeEachAfterTheLastRecoveredAndItsQuietTime() throws Exception {
    StandIn cluster = new StandIn(new VirtualClock(), Duration.ofSeconds(9), true);
    FaultPlan plan = FaultPlan.draw(7, RUN, 5);
    FaultRunner runner = runner(plan, cluster);

    runner.runNodeFaults();

    List<FaultRecord> done = runner.records();
    assertThat(done.size()).as("node faults in 10 minutes").isGreaterThan(10);
    assertThat(cluster.maxDown).as("nodes down or paused at once").isEqualTo(1);
    for (int i = 0; i < done.size(); i++) {
      FaultRecord f = done.get(i);
      FaultPlan.NodeFault planned = plan.nodeFaults().get(i);
      assertThat(f.kind()).isEqualTo(planned.kind());
      assertThat(f.target()).isEqualTo("n" + (planned.node() + 1));
      Duration after = i == 0 ? START : cluster.recoveries.get(i - 1);
      assertThat(f.start()).as("fault %d", i).isEqualTo(after.plus(planned.quietBefore()));
      assertThat(f.end()).isGreaterThanOrEqualTo(f.start().plus(planned.hold()));
      assertThat(f.recovered()).isTrue();
      assertThat(f.note()).isNull();
    }
    assertThat(done.get(done.size() - 1).start()).isLessThan(START.plus(RUN));
    assertThat(cluster.log).anyMatch(l -> l.startsWith("kill ")).anyMatch(l -> l.startsWith("pause "))
        .anyMatch(l -> l.startsWith("restart ")).anyMatch(l -> l.startsWith("resume "));
  }

  @Test
  void aClusterThatDoesNotRecoverIsRepairedOnceThenLeftAlone() throws Exception {
    StandIn cluster = new StandIn(new VirtualClock(), Duration.ofSeconds(9), false);
    FaultPlan plan = FaultPlan.draw(7, RUN, 5);
    FaultRunner runner = runner(plan, cluster);

    runner.runNodeFaults();

    assertThat(runner.records()).hasSize(1);
    FaultRecord f = runner.records().get(0);
    assertThat(f.recovered()).isFalse();
    assertThat(f.note()).contains("killed and started again");
    assertThat(cluster.faultStarts).as("the first fault, and the repair's kill").hasSize(2);
  }

  @Test
  void smtpOutagesHappenAtTheirPlannedTimesAndTheServerAlwaysComesBack() throws Exception {
    StandIn cluster = new StandIn(new VirtualClock(), Duration.ofSeconds(9), true);
    FaultPlan plan = FaultPlan.draw(11, RUN, 5);
    FaultRunner runner = runner(plan, cluster);

    runner.runSmtpOutages();

    List<FaultRecord> done = runner.records();
    assertThat(done).hasSize(plan.smtpOutages().size());
    for (int i = 0; i < done.size(); i++) {
      assertThat(done.get(i).start()).isEqualTo(START.plus(plan.smtpOutages().get(i).at()));
      assertThat(done.get(i).end()).isEqualTo(done.get(i).start().plus(plan.smtpOutages().get(i).length()));
    }
    assertThat(cluster.log.stream().filter("smtp stop"::equals).count())
        .isEqualTo(cluster.log.stream().filter("smtp start"::equals).count());
  }
}
