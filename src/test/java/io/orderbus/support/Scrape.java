package io.orderbus.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition as a test reads it: its samples, and whether its families are well formed. */
public final class Scrape {
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample: metric name, labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  public Scrape(String text) {
    Set<String> typed = new HashSet<>();
    Set<String> closed = new HashSet<>();
    String family = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String name = line.substring(7).split(" ")[0];
        if (!typed.add(name)) {
          problems.add("family " + name + " typed twice");
        }
        if (family != null) {
          closed.add(family);
        }
        family = name;
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name = line.substring(0, brace >= 0 ? brace : space);
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0) {
          Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
          while (m.find()) {
            labels.put(m.group(1), m.group(2));
          }
        }
        if (family == null || !name.startsWith(family)) {
          problems.add("sample " + name + " outside its family (under " + family + ")");
        }
        if (closed.contains(family)) {
          problems.add("family " + family + " split in two");
        }
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
      }
    }
  }

  /** Structural faults Prometheus would reject: a family typed twice, a sample under another family. */
  public List<String> problems() {
    return problems;
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels} (as name, value, ...). */
  public double sum(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet()))
        .mapToDouble(Sample::value).sum();
  }

  /** The label values of {@code label} among the samples named {@code name}. */
  public Set<String> values(String name, String label) {
    Set<String> out = new HashSet<>();
    samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
        .forEach(s -> out.add(s.labels().get(label)));
    return out;
  }
}
