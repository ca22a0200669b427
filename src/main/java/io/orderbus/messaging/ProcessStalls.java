package io.orderbus.messaging;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Notices when this whole JVM stood still (SIGSTOP, a long GC pause, a starved machine), as a thread that
 * should wake every {@link #TICK_MS} and finds it woke much later, and says whether the process is
 * <em>fenced</em>: it stalled for at least {@link #STALL_MS} and resumed less than {@link #FENCE_MS} ago.
 *
 * <p>Why: a node that stood still longer than the failure detector (5 s) has been dropped by the others,
 * who took over its work, but for its first moments after resuming it still believes it is a member with its
 * old partitions, and Hazelcast's split-brain protection still counts the old members. Work it starts then
 * acts on its stale copy of the data: in a 30-minute chaos run (2026-11-26) email nodes resumed from a pause
 * claimed and sent 11 mails that another node had just sent, each within a second of the resume. The fence
 * outlasts the time it takes a dropped node to learn it was dropped (under a second, seen in the logs) and to
 * merge back (seconds); a node that was not dropped loses nothing but a short delay.
 */
public final class ProcessStalls {
  private static final Logger LOG = Logger.getLogger(ProcessStalls.class.getName());
  /**
   * A stall is seen as soon as the process runs again whatever the tick: the watcher's sleep ran out during it,
   * so it is among the first threads to run. A shorter tick only costs wake-ups (at 50 ms, 0.2 % of a core
   * per idle node).
   */
  static final long TICK_MS = 250;
  /** Longer than any pause this machine shows in normal running, shorter than the failure detector. */
  public static final long STALL_MS = 3_000;
  /** How long after such a stall the process counts as fenced. */
  public static final long FENCE_MS = 15_000;
  private static final ProcessStalls INSTANCE = new ProcessStalls();

  /** When the last stall of at least {@link #STALL_MS} ended ({@link System#nanoTime()}), and how long it was. */
  private volatile long lastEnd = Long.MIN_VALUE;
  private volatile long lastLengthMs;

  private ProcessStalls() {
    Thread watcher = new Thread(this::watch, "orderbus-stall-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** The JVM's detector, started on first use. */
  public static ProcessStalls get() {
    return INSTANCE;
  }

  /** Whether the process stalled for {@link #STALL_MS} or more less than {@link #FENCE_MS} ago. */
  public boolean fenced() {
    return stalledSince(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(FENCE_MS));
  }

  /** Whether a stall of {@link #STALL_MS} or more ended after {@code since} ({@link System#nanoTime()}). */
  public boolean stalledSince(long since) {
    long end = lastEnd;
    return end != Long.MIN_VALUE && end - since > 0;
  }

  /** Milliseconds until the fence lifts (0 when not fenced). */
  public long fencedForMs() {
    long end = lastEnd;
    if (end == Long.MIN_VALUE) {
      return 0;
    }
    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + FENCE_MS;
    return Math.max(0, left);
  }

  /** A description of the last stall, for messages. */
  public String describe() {
    long end = lastEnd;
    return end == Long.MIN_VALUE ? "no stall"
        : "stood still for " + lastLengthMs + " ms, " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - end) + " ms ago";
  }

  private void watch() {
    long before = System.nanoTime();
    while (true) {
      try {
        Thread.sleep(TICK_MS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gapMs = TimeUnit.NANOSECONDS.toMillis(now - before) - TICK_MS;
      if (gapMs >= STALL_MS) {
        lastLengthMs = gapMs;
        lastEnd = now;
        LOG.warning(() -> "this process stood still for " + gapMs + " ms: it starts no new work and sends no mail for "
            + FENCE_MS + " ms, in case the cluster dropped it meanwhile");
      }
      before = now;
    }
  }
}
