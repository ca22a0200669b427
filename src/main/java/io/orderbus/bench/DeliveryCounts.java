package io.orderbus.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The durable path's counters as a gateway's {@code GET /metrics} shows them (every node's samples),
 * summed over nodes per group: what was published, what members handled, what was redelivered and
 * dead-lettered. A benchmark takes two and subtracts, so a running cluster's history does not count.
 */
record DeliveryCounts(Map<String, Double> published, Map<String, Double> handled, Map<String, Double> redelivered,
                      Map<String, Double> deadLettered, double nodesUp, double nodesDown) {
  static DeliveryCounts parse(String text) {
    Map<String, Double> published = new HashMap<>();
    Map<String, Double> handled = new HashMap<>();
    Map<String, Double> redelivered = new HashMap<>();
    Map<String, Double> dead = new HashMap<>();
    double up = 0;
    double down = 0;
    for (MetricSamples.Sample sample : MetricSamples.parse(text).samples()) {
      double value = sample.value();
      String group = sample.label("group");
      switch (sample.name()) {
        case "orderbus_delivery_published_total" -> published.merge(group, value, Double::sum);
        case "orderbus_delivery_handled_total" -> {
          if ("ok".equals(sample.label("outcome"))) {
            handled.merge(group, value, Double::sum);
          }
        }
        case "orderbus_delivery_redelivered_total" -> redelivered.merge(group, value, Double::sum);
        case "orderbus_delivery_dead_lettered_total" -> dead.merge(group, value, Double::sum);
        case "orderbus_node_up" -> {
          if (value > 0) {
            up++;
          } else {
            down++;
          }
        }
        default -> {
        }
      }
    }
    return new DeliveryCounts(published, handled, redelivered, dead, up, down);
  }

  /** What happened between {@code earlier} and this. */
  DeliveryCounts minus(DeliveryCounts earlier) {
    return new DeliveryCounts(minus(published, earlier.published), minus(handled, earlier.handled),
        minus(redelivered, earlier.redelivered), minus(deadLettered, earlier.deadLettered), nodesUp, nodesDown);
  }

  double deadLetteredTotal() {
    return deadLettered.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Handled per published event of {@code group}: 1.0 when each event was handled once; NaN if none published. */
  double ratio(String group) {
    double p = published.getOrDefault(group, 0.0);
    return p == 0 ? Double.NaN : handled.getOrDefault(group, 0.0) / p;
  }

  private static Map<String, Double> minus(Map<String, Double> now, Map<String, Double> before) {
    Map<String, Double> out = new HashMap<>(now);
    before.forEach((k, v) -> out.merge(k, -v, Double::sum));
    return out;
  }
}
