package io.orderbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart of a benchmark's figures as a standalone SVG file: lines over a numeric x axis (throughput against
 * offered rate, backlog over time) or groups of bars (latency percentiles per path). Written by hand rather than
 * with a charting library: SVG is text, so it needs no fonts or graphics stack on the machine that runs the
 * benchmark, renders the same in every browser and on GitHub, and diffs as text.
 */
final class SvgChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 420;
  private static final int LEFT = 78;
  private static final int RIGHT = 24;
  private static final int TOP = 60;
  private static final int BOTTOM = 64;
  /** About how wide a character of an 11 px label is, to keep labels inside the chart. */
  private static final double CHAR_WIDTH = 6.2;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

  private record Series(String name, double[] xs, double[] ys) {
  }

  private record Marker(double x, String label) {
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private List<String> categories;

  SvgChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** A line through the points ({@code xs[i]}, {@code ys[i]}); NaN values are left out. */
  SvgChart line(String name, double[] xs, double[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException(name + ": " + xs.length + " x values for " + ys.length + " y values");
    }
    series.add(new Series(name, xs.clone(), ys.clone()));
    return this;
  }

  /** A dashed vertical line at {@code x}, labelled (e.g. the knee). */
  SvgChart marker(double x, String label) {
    markers.add(new Marker(x, label));
    return this;
  }

  /** Bars instead of lines: one group per category, one bar per {@link #bars(String, double[])} series. */
  SvgChart categories(List<String> names) {
    this.categories = List.copyOf(names);
    return this;
  }

  SvgChart bars(String name, double[] values) {
    if (categories == null || values.length != categories.size()) {
      throw new IllegalArgumentException(name + ": one value per category is needed");
    }
    double[] xs = new double[values.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i;
    }
    series.add(new Series(name, xs, values.clone()));
    return this;
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render());
  }

  String render() {
    boolean barChart = categories != null;
    // Lines: from 0 (or below, if a value is) to a round number, so that ticks read well and one point still has room.
    double xMin = barChart ? -0.5 : Math.min(0, min(true));
    double xMax = barChart ? categories.size() - 0.5 : max(true);
    for (Marker m : markers) {
      xMin = Math.min(xMin, m.x());
      xMax = Math.max(xMax, m.x());
    }
    if (!barChart) {
      xMax = niceCeiling(xMax);
    }
    // A little headroom, so that the highest point does not sit on the frame.
    double yMax = niceCeiling(Math.max(max(false), 0) * 1.05);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double fxMin = xMin;
    double fxMax = xMax;
    java.util.function.DoubleUnaryOperator px = x -> LEFT + (x - fxMin) / (fxMax - fxMin) * plotW;
    java.util.function.DoubleUnaryOperator py = y -> TOP + plotH - y / yMax * plotH;

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    text(svg, WIDTH / 2.0, 24, "middle", 15, title);
    // Horizontal grid and y ticks.
    for (int i = 0; i <= 5; i++) {
      double value = yMax * i / 5;
      double y = py.applyAsDouble(value);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          (double) LEFT, y, (double) (WIDTH - RIGHT), y));
      text(svg, LEFT - 6, y + 4, "end", 11, number(value));
    }
    // X ticks: the categories, or five steps of the range.
    if (barChart) {
      for (int i = 0; i < categories.size(); i++) {
        text(svg, px.applyAsDouble(i), TOP + plotH + 18, "middle", 12, categories.get(i));
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double value = xMin + (xMax - xMin) * i / 5;
        text(svg, px.applyAsDouble(value), TOP + plotH + 18, "middle", 11, number(value));
      }
    }
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\""
        + " stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
    text(svg, LEFT + plotW / 2, HEIGHT - 14, "middle", 12, xLabel);
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\""
        + " transform=\"rotate(-90 16 %.1f)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));

    double legendX = LEFT;
    for (int s = 0; s < series.size(); s++) {
      Series one = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      if (barChart) {
        double group = 0.8 / series.size();
        for (int i = 0; i < one.ys().length; i++) {
          if (Double.isNaN(one.ys()[i])) {
            continue;
          }
          double x0 = px.applyAsDouble(i - 0.4 + group * s);
          double x1 = px.applyAsDouble(i - 0.4 + group * (s + 1));
          double y = py.applyAsDouble(one.ys()[i]);
          svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
              + " fill=\"%s\"/>%n", x0 + 1, y, Math.max(1, x1 - x0 - 2), TOP + plotH - y, colour));
          text(svg, (x0 + x1) / 2, y - 4, "middle", 10, number(one.ys()[i]));
        }
      } else {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < one.xs().length; i++) {
          if (Double.isNaN(one.xs()[i]) || Double.isNaN(one.ys()[i])) {
            continue;
          }
          double x = px.applyAsDouble(one.xs()[i]);
          double y = py.applyAsDouble(one.ys()[i]);
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
          svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x, y, colour));
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
            + " points=\"%s\"/>%n", colour, points.toString().trim()));
      }
      // Legend in a row between the title and the plot, where no line or marker label can run into it.
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>%n",
          legendX, TOP - 14, colour));
      text(svg, legendX + 16, TOP - 9, "start", 11, one.name());
      legendX += 16 + one.name().length() * CHAR_WIDTH + 18;
    }
    for (int i = 0; i < markers.size(); i++) {
      Marker m = markers.get(i);
      double x = px.applyAsDouble(m.x());
      svg.append(String.format(Locale.ROOT, "<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\""
          + " stroke=\"#555\" stroke-dasharray=\"5,4\"/>%n", x, TOP, x, TOP + plotH));
      // One line lower per marker, so that close markers' labels do not overlap; left of the line near the right edge.
      boolean fitsRight = x + 4 + m.label().length() * CHAR_WIDTH <= WIDTH - RIGHT;
      text(svg, fitsRight ? x + 4 : x - 4, TOP + 12 + 14 * i, fitsRight ? "start" : "end", 11, m.label());
    }
    return svg.append("</svg>\n").toString();
  }

  private double min(boolean x) {
    double min = Double.POSITIVE_INFINITY;
    for (Series s : series) {
      for (double v : x ? s.xs() : s.ys()) {
        if (!Double.isNaN(v)) {
          min = Math.min(min, v);
        }
      }
    }
    return min == Double.POSITIVE_INFINITY ? 0 : min;
  }

  private double max(boolean x) {
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : x ? s.xs() : s.ys()) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    return max == Double.NEGATIVE_INFINITY ? 1 : max;
  }

  /** The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten at or above {@code value}: a round end. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String number(double value) {
    if (Math.abs(value) >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.2g", value);
  }

  private static void text(StringBuilder svg, double x, double y, String anchor, int size, String text) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
        x, y, anchor, size, escape(text)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
