package io.orderbus.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SvgChartTest {

  @Test
  void aLineRisesWithItsValuesAndTheMarkerStandsAtItsX() throws Exception {
    String svg = new SvgChart("Settled <against> offered", "offered/s", "settled/s")
        .line("settled", new double[] {100, 200, 300}, new double[] {100, 190, 150})
        .marker(200, "knee 200/s")
        .render();
    Document doc = parse(svg);

    Element line = (Element) doc.getElementsByTagName("polyline").item(0);
    double[][] points = Arrays.stream(line.getAttribute("points").split(" "))
        .map(p -> Arrays.stream(p.split(",")).mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    assertThat(points).hasNumberOfRows(3);
    assertThat(points[0][0]).isLessThan(points[1][0]).isLessThan(points[2][0]);
    // SVG's y grows downwards: the highest value is the smallest y.
    assertThat(points[1][1]).isLessThan(points[2][1]).isLessThan(points[0][1]);

    Element marker = first(doc, "line", "marker");
    assertThat(Double.parseDouble(marker.getAttribute("x1"))).isEqualTo(points[1][0]);
    assertThat(svg).contains("Settled &lt;against&gt; offered").contains("knee 200/s");
  }

  @Test
  void barsStandOnePerSeriesInEachCategoryAndScaleWithTheirValues() throws Exception {
    String svg = new SvgChart("Accept latency", "percentile", "ms")
        .categories(List.of("p50", "p99"))
        .bars("async", new double[] {2, 10})
        .bars("sync", new double[] {8, 40})
        .render();
    NodeList rects = parse(svg).getElementsByTagName("rect");
    List<Element> bars = new java.util.ArrayList<>();
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if ("bar".equals(rect.getAttribute("class"))) {
        bars.add(rect);
      }
    }
    assertThat(bars).hasSize(4);
    double asyncP99 = Double.parseDouble(bars.get(1).getAttribute("height"));
    double syncP99 = Double.parseDouble(bars.get(3).getAttribute("height"));
    assertThat(syncP99 / asyncP99).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void labelsOfCloseMarkersStandOnDifferentLinesAndStayInsideTheChart() throws Exception {
    String svg = new SvgChart("spike", "s", "events")
        .line("pending", new double[] {0, 10, 20}, new double[] {0, 500, 0})
        .marker(15, "offering ends")
        .marker(16, "drained")
        .marker(20, "a long label at the right edge")
        .render();
    NodeList texts = parse(svg).getElementsByTagName("text");
    Element ends = null;
    Element drained = null;
    Element right = null;
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      switch (t.getTextContent()) {
        case "offering ends" -> ends = t;
        case "drained" -> drained = t;
        case "a long label at the right edge" -> right = t;
        default -> { }
      }
    }
    assertThat(ends).isNotNull();
    assertThat(drained).isNotNull();
    assertThat(right).isNotNull();
    assertThat(drained.getAttribute("y")).isNotEqualTo(ends.getAttribute("y"));
    assertThat(right.getAttribute("text-anchor")).isEqualTo("end");
  }

  @Test
  void aSeriesMustHaveAYForEachX() {
    assertThatThrownBy(() -> new SvgChart("t", "x", "y").line("s", new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values for 1 y values");
  }

  @Test
  void theScaleEndsAtARoundNumber() {
    assertThat(SvgChart.niceCeiling(0.7)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(SvgChart.niceCeiling(130)).isEqualTo(150.0);
    assertThat(SvgChart.niceCeiling(23)).isEqualTo(25.0);
    assertThat(SvgChart.niceCeiling(4_100)).isEqualTo(5_000.0);
    assertThat(SvgChart.niceCeiling(0)).isEqualTo(1.0);
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static Element first(Document doc, String tag, String cssClass) {
    NodeList all = doc.getElementsByTagName(tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (cssClass.equals(e.getAttribute("class"))) {
        return e;
      }
    }
    throw new AssertionError("no <" + tag + " class=" + cssClass + ">");
  }
}
