package io.orderbus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figures of {@code bench orders} from what the cluster answers: its meters, its orders' timelines. */
class OrderFiguresTest {

  @Test
  void gcIsSummedOverCollectorsPerNodeAndSubtracted() {
    JvmFigures before = JvmFigures.parse("""
        # TYPE jvm_gc_pause_seconds summary
        jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation",node="n1"} 4
        jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation",node="n1"} 0.040
        jvm_threads_live_threads{node="n1"} 50
        """);
    JvmFigures after = JvmFigures.parse("""
        jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation",node="n1"} 6
        jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation",node="n1"} 0.060
        jvm_gc_pause_seconds_count{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation",node="n1"} 1
        jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation",node="n1"} 0.005
        jvm_threads_live_threads{node="n1"} 52
        jvm_threads_live_threads{node="n2"} 40
        """);

    JvmFigures window = after.minus(before);

    assertThat(window.gcCount("n1")).isEqualTo(3);
    assertThat(window.gcMillis("n1")).isCloseTo(25, within(1e-9));
    assertThat(window.threads("n1")).isEqualTo(52);
    assertThat(window.gcCount("n2")).isNaN();
    assertThat(window.nodes()).containsExactly("n1", "n2");
  }

  @Test
  void settleTimeRunsFromThe202ToTheLaterOfStatusAndEmail() {
    long t0 = 1_000_000;
    OpenLoad.Result load = load(Map.of("a", t0, "b", t0 + 10, "c", t0 + 20, "d", t0 + 30));
    OrderWatch.Result watch = new OrderWatch.Result(Map.of(
        "a", order("CONFIRMED", "SENT", t0 + 50, t0 + 80),
        // Its email went out before the 202 reached the bench: counts as 0, not negative.
        "b", order("CONFIRMED", "SENT", t0 + 5, t0 + 8),
        // Settles after the window ends: has a settle time, but does not count for the window.
        "c", order("REJECTED", "SENT", t0 + 2_000, t0 + 30),
        "d", order("CONFIRMED", "PENDING", t0 + 40, 0)), Set.of("d"), 0, 0);

    SettleTimes settle = SettleTimes.of(load, watch, t0 - 100, t0 + 900);

    assertThat(settle.millis().getTotalCount()).isEqualTo(3);
    assertThat(settle.millis().getMinValue()).isZero();
    assertThat(settle.millis().getMaxValue()).isBetween(1_975L, 1_985L);
    assertThat(settle.ms(50)).isEqualTo(80);
    assertThat(settle.settledInWindow()).isEqualTo(2);
    assertThat(settle.unsettled()).isEqualTo(1);
    assertThat(settle.perSecond()).isEqualTo(2.0);
  }

  private static OpenLoad.Result load(Map<String, Long> acceptedAt) {
    List<String> ids = acceptedAt.keySet().stream().sorted().toList();
    Histogram latency = new Histogram(3);
    ids.forEach(id -> latency.recordValue(1_000));
    return new OpenLoad.Result(100, Duration.ofSeconds(1), ids.size(), 0, 1, latency, latency, Map.of("202", ids.size()),
        ids, acceptedAt, 0);
  }

  private static JsonObject order(String status, String emailStatus, long statusAt, long emailAt) {
    JsonArray timeline = new JsonArray().add(new JsonObject().put("event", "ACCEPTED").put("at", 0L))
        .add(new JsonObject().put("event", status).put("at", statusAt));
    if ("SENT".equals(emailStatus)) {
      timeline.add(new JsonObject().put("event", "EmailSent").put("at", emailAt));
    }
    return new JsonObject().put("status", status).put("emailStatus", emailStatus).put("timeline", timeline);
  }
}
