package io.orderbus.node;

import io.orderbus.support.Scrape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
  private static final String NODE_A = """
      # HELP hits_total requests
      # TYPE hits_total counter
      hits_total{node="a"} 1.0
      # HELP heap_bytes heap
      # TYPE heap_bytes gauge
      heap_bytes{node="a",area="heap"} 100.0
      """;
  private static final String NODE_B = """
      # HELP heap_bytes heap
      # TYPE heap_bytes gauge
      heap_bytes{node="b",area="heap"} 200.0
      # HELP hits_total requests
      # TYPE hits_total counter
      hits_total{node="b"} 2.0
      """;

  @Test
  void eachFamilyAppearsOnceWithTheSamplesOfEveryNode() {
    PrometheusText text = new PrometheusText();
    text.add(NODE_A);
    text.add(NODE_B);
    String merged = text.toString();

    assertThat(merged.lines().filter(l -> l.equals("# TYPE hits_total counter"))).hasSize(1);
    assertThat(merged).contains("hits_total{node=\"a\"} 1.0\nhits_total{node=\"b\"} 2.0\n");
    Scrape scrape = new Scrape(merged);
    assertThat(scrape.problems()).isEmpty();
    assertThat(scrape.sum("heap_bytes", "area", "heap")).isEqualTo(300.0);
  }

  @Test
  void concatenatedScrapesAreWhatTheCheckRejects() {
    assertThat(new Scrape(NODE_A + NODE_B).problems()).isNotEmpty();
  }

  @Test
  void ownGaugesEscapeTheirLabelValues() {
    PrometheusText text = new PrometheusText();
    Map<Map<String, String>, Number> up = new LinkedHashMap<>();
    up.put(Map.of("node", "odd \"name\"\\"), 1);
    text.gauge("up", "answered", up);
    assertThat(text.toString()).isEqualTo("# HELP up answered\n# TYPE up gauge\nup{node=\"odd \\\"name\\\"\\\\\"} 1\n");
    assertThat(new Scrape(text.toString()).values("up", "node")).containsExactly("odd \\\"name\\\"\\\\");
  }
}
