package io.orderbus.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Each node's GC pauses (Micrometer's {@code jvm_gc_pause_seconds_sum} and {@code _count}, summed over
 * collectors and causes) and live threads ({@code jvm_threads_live_threads}), as a gateway's
 * {@code GET /metrics} shows them, keyed by the {@code node} label. GC counts since the JVM started, so a
 * benchmark takes two and subtracts; the thread count is the later one's.
 */
record JvmFigures(Map<String, Double> gcPauseSeconds, Map<String, Double> gcPauses, Map<String, Double> liveThreads) {

  static JvmFigures parse(String metrics) {
    MetricSamples samples = MetricSamples.parse(metrics);
    return new JvmFigures(samples.sumBy("jvm_gc_pause_seconds_sum", "node"),
        samples.sumBy("jvm_gc_pause_seconds_count", "node"), samples.sumBy("jvm_threads_live_threads", "node"));
  }

  /** GC between {@code earlier} and this; threads as now. */
  JvmFigures minus(JvmFigures earlier) {
    return new JvmFigures(minus(gcPauseSeconds, earlier.gcPauseSeconds), minus(gcPauses, earlier.gcPauses), liveThreads);
  }

  Set<String> nodes() {
    return new TreeSet<>(liveThreads.keySet());
  }

  double gcMillis(String node) {
    return gcPauseSeconds.getOrDefault(node, Double.NaN) * 1000;
  }

  double gcCount(String node) {
    return gcPauses.getOrDefault(node, Double.NaN);
  }

  double threads(String node) {
    return liveThreads.getOrDefault(node, Double.NaN);
  }

  private static Map<String, Double> minus(Map<String, Double> now, Map<String, Double> before) {
    Map<String, Double> out = new HashMap<>(now);
    before.forEach((k, v) -> out.computeIfPresent(k, (key, value) -> value - v));
    return out;
  }
}
