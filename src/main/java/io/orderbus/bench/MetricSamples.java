package io.orderbus.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (a gateway's {@code GET /metrics}: every node's samples, each
 * with its {@code node} label), for the benchmarks that read the cluster's own counters.
 */
record MetricSamples(List<Sample> samples) {
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** One line: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  static MetricSamples parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new MetricSamples(samples);
  }

  /** The samples named {@code name}, summed per value of {@code label} (e.g. per node, over GC causes). */
  Map<String, Double> sumBy(String name, String label) {
    Map<String, Double> sums = new HashMap<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name)) {
        sums.merge(sample.label(label), sample.value(), Double::sum);
      }
    }
    return sums;
  }
}
