package io.orderbus.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time (user + system) each named process has used so far. On Linux the JDK reads it from
 * {@code /proc/<pid>/stat} (utime + stime, clock ticks converted with the system's tick rate), so its
 * resolution is one tick (10 ms at the usual 100 Hz): a window must be long enough for that not to matter.
 * A benchmark takes two samples and subtracts.
 */
record ProcessCpu(Map<String, Duration> byName) {

  /** Samples every process of {@code pids} (name to pid); a process that is gone or unreadable is left out. */
  static ProcessCpu sample(Map<String, Long> pids) {
    Map<String, Duration> cpu = new LinkedHashMap<>();
    pids.forEach((name, pid) -> ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration())
        .ifPresent(total -> cpu.put(name, total)));
    return new ProcessCpu(cpu);
  }

  /** This JVM's own CPU time (the load generator's), under {@code name}. */
  static ProcessCpu self(String name) {
    Optional<Duration> total = ProcessHandle.current().info().totalCpuDuration();
    return new ProcessCpu(total.map(t -> Map.of(name, t)).orElse(Map.of()));
  }

  /** CPU used between {@code earlier} and this, per process sampled both times. */
  ProcessCpu minus(ProcessCpu earlier) {
    Map<String, Duration> used = new LinkedHashMap<>();
    byName.forEach((name, total) -> {
      Duration before = earlier.byName.get(name);
      if (before != null) {
        used.put(name, total.minus(before));
      }
    });
    return new ProcessCpu(used);
  }

  /** Milliseconds of CPU of one process; NaN if it was not sampled. */
  double millis(String name) {
    Duration d = byName.get(name);
    return d == null ? Double.NaN : d.toNanos() / 1e6;
  }

  /** Milliseconds of CPU summed over the processes. */
  double totalMillis() {
    return byName.values().stream().mapToLong(Duration::toNanos).sum() / 1e6;
  }
}
