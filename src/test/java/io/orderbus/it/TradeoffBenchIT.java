package io.orderbus.it;

import io.orderbus.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code orderbus bench tradeoffs}, small: it runs its 3 JVMs to the end and what its table claims about
 * each path holds. The figures themselves are for the benchmark, not for a test.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TradeoffBenchIT {

  @Test
  void theTradeOffTableIsMeasuredAndItsClaimsHold() throws Exception {
    try (NodeProcess bench = NodeProcess.start("bench-tradeoffs", List.of("bench", "tradeoffs", "--orders", "40", "--warmup", "20",
        "--rounds", "1", "--concurrency", "4", "--spike", "60", "--spike-concurrency", "20", "--outage-orders", "10"))) {
      assertThat(bench.process().waitFor(240, TimeUnit.SECONDS)).as(bench.tail(40)).isTrue();
      assertThat(bench.process().exitValue()).as(bench.tail(40)).isZero();
      List<String> rows = bench.output().stream().filter(line -> line.startsWith("| ")).toList();
      assertThat(rows).as(bench.tail(40)).hasSize(6);
      assertThat(row(rows, "the user's wait")).containsPattern("\\d+ orders/s, p50 [\\d.]+ ms");
      assertThat(row(rows, "a spike of 60 orders")).as(bench.tail(40)).contains("60 x 202").containsPattern("drained [\\d.]+ s");
      // With email killed: every async order accepted and, once email is back, emailed; no sync order created.
      assertThat(row(rows, "email SIGKILLed")).as(bench.tail(40)).contains("10/10 accepted (202)").contains("10/10 emailed")
          .contains("0/10 created");
    }
  }

  private static String row(List<String> rows, String start) {
    return rows.stream().filter(r -> r.startsWith("| " + start)).findFirst()
        .orElseThrow(() -> new AssertionError("no row '" + start + "' in " + rows));
  }
}
