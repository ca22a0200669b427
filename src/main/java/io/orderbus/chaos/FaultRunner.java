package io.orderbus.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries out a {@link FaultPlan}: {@link #runNodeFaults()} and {@link #runSmtpOutages()}, each on a thread of
 * its own. A fault starts only before {@code end}; one that has started is always undone (the node restarted or
 * resumed, the server started), whenever that is.
 *
 * <p>Node faults never overlap: the next one starts only after the cluster has recovered from the last, plus
 * its quiet time. If the cluster does not recover in time, the node is killed and started again (a repair,
 * noted on the fault); if even that fails, no further node fault is done, since faults on an unrecovered
 * cluster would test what the system does not claim.
 */
final class FaultRunner {
  private final FaultPlan plan;
  private final FaultTarget target;
  private final RunClock clock;
  private final Duration start;
  private final Duration end;
  private final Duration recoveryTimeout;
  private final Consumer<String> say;
  private final List<FaultRecord> records = new ArrayList<>();

  /**
   * @param start when the plan's time begins on {@code clock} (the load's start): the first node fault's quiet
   *              time and the SMTP outages count from it
   * @param end   no fault starts after it
   */
  FaultRunner(FaultPlan plan, FaultTarget target, RunClock clock, Duration start, Duration end, Duration recoveryTimeout,
              Consumer<String> say) {
    this.plan = plan;
    this.target = target;
    this.clock = clock;
    this.start = start;
    this.end = end;
    this.recoveryTimeout = recoveryTimeout;
    this.say = say;
  }

  /** Every fault done so far, in order of start. */
  List<FaultRecord> records() {
    synchronized (records) {
      List<FaultRecord> copy = new ArrayList<>(records);
      copy.sort(Comparator.comparing(FaultRecord::start));
      return copy;
    }
  }

  void runNodeFaults() throws InterruptedException {
    Duration recovered = start;
    for (FaultPlan.NodeFault fault : plan.nodeFaults()) {
      Duration at = recovered.plus(fault.quietBefore());
      if (at.compareTo(end) >= 0) {
        return;
      }
      clock.sleepUntil(at);
      FaultRecord record = nodeFault(fault);
      add(record);
      if (record.recoveredAt() == null) {
        say.accept("node faults stop here: the cluster did not recover from " + record.kind() + " " + record.target());
        return;
      }
      recovered = record.recoveredAt();
    }
  }

  void runSmtpOutages() throws InterruptedException {
    for (FaultPlan.SmtpOutage outage : plan.smtpOutages()) {
      Duration at = start.plus(outage.at());
      if (at.compareTo(end) >= 0) {
        return;
      }
      clock.sleepUntil(at);
      Duration stopped = clock.elapsed();
      String note = null;
      Duration back = null;
      try {
        target.stopSmtp();
        say.accept("SMTP server stopped for " + ChaosReport.seconds(outage.length()));
        clock.sleepUntil(stopped.plus(outage.length()));
      } catch (Exception e) {
        note = "stopping it failed: " + e;
      }
      try {
        target.startSmtp();
        back = clock.elapsed();
        say.accept("SMTP server started again");
      } catch (Exception e) {
        note = (note == null ? "" : note + "; ") + "starting it again failed: " + e;
      }
      add(new FaultRecord(FaultPlan.Kind.SMTP, "smtp", outage.length(), stopped, back, null, note));
      if (back == null) {
        say.accept("SMTP outages stop here: the server did not start again");
        return;
      }
    }
  }

  private FaultRecord nodeFault(FaultPlan.NodeFault fault) throws InterruptedException {
    String name = target.nodeName(fault.node());
    Duration began = clock.elapsed();
    Duration undone = null;
    String note = null;
    try {
      if (fault.kind() == FaultPlan.Kind.KILL) {
        target.kill(fault.node());
        say.accept("SIGKILL " + name + "; dead for " + ChaosReport.seconds(fault.hold()));
        clock.sleepUntil(began.plus(fault.hold()));
        target.restart(fault.node());
        undone = clock.elapsed();
        say.accept(name + " started again and ready");
      } else {
        target.pause(fault.node());
        say.accept("SIGSTOP " + name + " for " + ChaosReport.seconds(fault.hold()));
        clock.sleepUntil(began.plus(fault.hold()));
        target.resume(fault.node());
        undone = clock.elapsed();
        say.accept("SIGCONT " + name);
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      note = "undoing it failed: " + e;
    }
    Duration recoveredAt = null;
    try {
      if (undone != null && target.awaitRecovered(recoveryTimeout)) {
        recoveredAt = clock.elapsed();
      } else {
        note = (note == null ? "" : note + "; ") + "not every node a member within " + ChaosReport.seconds(recoveryTimeout)
            + ": " + name + " killed and started again";
        say.accept(note);
        target.kill(fault.node());
        target.restart(fault.node());
        if (target.awaitRecovered(recoveryTimeout)) {
          recoveredAt = clock.elapsed();
        }
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      note = (note == null ? "" : note + "; ") + "recovery failed: " + e;
    }
    return new FaultRecord(fault.kind(), name, fault.hold(), began, undone, recoveredAt, note);
  }

  private void add(FaultRecord record) {
    synchronized (records) {
      records.add(record);
    }
  }
}
