package io.orderbus.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several nodes' scrapes as one Prometheus text exposition (format 0.0.4): every metric family once, with
 * its HELP and TYPE, and under it the samples of every node (each sample carries its node's label).
 * Prometheus rejects a family that appears twice, so the scrapes cannot simply be concatenated.
 */
final class PrometheusText {
  private final Map<String, Family> families = new LinkedHashMap<>();

  private static final class Family {
    private String help;
    private String type;
    private final List<String> samples = new ArrayList<>();
  }

  /** Adds one node's scrape. */
  void add(String scrape) {
    Family current = null;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String rest = line.substring(7);
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        String text = space < 0 ? "" : rest.substring(space + 1);
        current = families.computeIfAbsent(name, n -> new Family());
        if (line.startsWith("# HELP ")) {
          current.help = text;
        } else {
          current.type = text;
        }
      } else if (!line.isBlank() && !line.startsWith("#")) {
        if (current == null) {
          current = families.computeIfAbsent(sampleName(line), n -> new Family());
        }
        current.samples.add(line);
      }
    }
  }

  /** Adds a gauge family of this exposition's own; {@code samples} maps a label set to its value. */
  void gauge(String name, String help, Map<Map<String, String>, Number> samples) {
    Family family = families.computeIfAbsent(name, n -> new Family());
    family.help = help;
    family.type = "gauge";
    samples.forEach((labels, value) -> family.samples.add(name + labels(labels) + " " + value));
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    families.forEach((name, family) -> {
      if (family.help != null) {
        out.append("# HELP ").append(name).append(' ').append(family.help).append('\n');
      }
      if (family.type != null) {
        out.append("# TYPE ").append(name).append(' ').append(family.type).append('\n');
      }
      family.samples.forEach(sample -> out.append(sample).append('\n'));
    });
    return out.toString();
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("{");
    labels.forEach((key, value) -> out.append(out.length() > 1 ? "," : "").append(key).append("=\"")
        .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
    return out.append('}').toString();
  }

  private static String sampleName(String line) {
    int end = 0;
    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
      end++;
    }
    return line.substring(0, end);
  }
}
