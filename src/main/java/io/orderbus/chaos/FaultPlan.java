package io.orderbus.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, drawn from its seed before it starts: the same seed gives the same plan.
 *
 * <p>Two independent tracks. Node faults come one at a time, in the plan's order: each waits
 * {@link NodeFault#quietBefore} after the cluster recovered from the one before (all members back, backups
 * re-created), because with one backup two nodes lost at once is a loss the system does not claim to survive;
 * so when a node fault happens depends on how long recovery took, and only their order and shape are planned.
 * SMTP outages are planned in time, from the start of the run; they may overlap a node fault (the mail server
 * going down is not a node lost).
 */
record FaultPlan(long seed, List<NodeFault> nodeFaults, List<SmtpOutage> smtpOutages) {
  /** Load alone before the first node fault: the cluster warms up and orders are in flight. */
  static final Duration WARM_UP = Duration.ofSeconds(10);
  static final Duration MIN_QUIET = Duration.ofSeconds(3);
  static final Duration MAX_QUIET = Duration.ofSeconds(10);
  /** How long a killed node stays dead before it is restarted. */
  static final Duration MIN_DEAD = Duration.ofSeconds(1);
  static final Duration MAX_DEAD = Duration.ofSeconds(8);
  /** A pause shorter than the 5 s failure detector is a GC hiccup; a longer one, a partition and a merge. */
  static final Duration MIN_PAUSE = Duration.ofSeconds(3);
  static final Duration MAX_PAUSE = Duration.ofSeconds(10);
  static final Duration MIN_SMTP_DOWN = Duration.ofSeconds(5);
  static final Duration MAX_SMTP_DOWN = Duration.ofSeconds(20);
  static final Duration MIN_SMTP_UP = Duration.ofSeconds(10);
  static final Duration MAX_SMTP_UP = Duration.ofSeconds(30);

  enum Kind {
    /** SIGKILL a node, then start it again with the same name and cluster port. */
    KILL,
    /** SIGSTOP a node, then SIGCONT it. */
    PAUSE,
    /** Stop the SMTP server, then start it again on the same port. */
    SMTP
  }

  /**
   * @param node        index of the node it hits
   * @param hold        how long the node stays dead (KILL) or paused (PAUSE)
   * @param quietBefore how long after the previous node fault's recovery (or, for the first, the start) it begins
   */
  record NodeFault(Kind kind, int node, Duration hold, Duration quietBefore) {
  }

  /** @param at from the start of the run */
  record SmtpOutage(Duration at, Duration length) {
    Duration end() {
      return at.plus(length);
    }
  }

  /** Draws the plan of a run of {@code duration} against {@code nodes} nodes. */
  static FaultPlan draw(long seed, Duration duration, int nodes) {
    Random random = new Random(seed);
    List<SmtpOutage> outages = new ArrayList<>();
    Duration at = between(random, MIN_SMTP_UP, MAX_SMTP_UP);
    while (at.compareTo(duration) < 0) {
      Duration length = between(random, MIN_SMTP_DOWN, MAX_SMTP_DOWN);
      outages.add(new SmtpOutage(at, length));
      at = at.plus(length).plus(between(random, MIN_SMTP_UP, MAX_SMTP_UP));
    }
    // More than can happen in the duration (each takes at least its quiet time and its hold); the runner stops
    // at the end. Kinds come in shuffled pairs, so that even a short run sees both.
    int count = (int) Math.min(10_000, duration.toSeconds() / (MIN_QUIET.toSeconds() + MIN_DEAD.toSeconds()) + 2);
    List<NodeFault> faults = new ArrayList<>();
    while (faults.size() < count) {
      List<Kind> pair = new ArrayList<>(List.of(Kind.KILL, Kind.PAUSE));
      Collections.shuffle(pair, random);
      for (Kind kind : pair) {
        Duration hold = kind == Kind.KILL ? between(random, MIN_DEAD, MAX_DEAD) : between(random, MIN_PAUSE, MAX_PAUSE);
        Duration quiet = between(random, MIN_QUIET, MAX_QUIET);
        faults.add(new NodeFault(kind, random.nextInt(nodes), hold, faults.isEmpty() ? WARM_UP.plus(quiet) : quiet));
      }
    }
    return new FaultPlan(seed, List.copyOf(faults), List.copyOf(outages));
  }

  /** A whole number of milliseconds from {@code min} to {@code max}, both included. */
  private static Duration between(Random random, Duration min, Duration max) {
    return min.plusMillis((long) (random.nextDouble() * (max.toMillis() - min.toMillis() + 1)));
  }
}
