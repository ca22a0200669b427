package io.orderbus.inventory;

import com.hazelcast.config.Config;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One SKU's stock and its per-order marks: every change happens once per order, whatever the order of arrival. */
class SkuStockTest {
  private static final long T0 = 1_000_000;

  @Test
  void anOrderTakesOnceHoweverOftenItAsks() {
    SkuStock stock = new SkuStock(10);
    assertThat(stock.take("o1", 3, T0)).isEqualTo(SkuStock.Outcome.TAKEN);
    assertThat(stock.take("o1", 3, T0 + 1)).isEqualTo(SkuStock.Outcome.TAKEN);
    assertThat(stock.available()).isEqualTo(7);
  }

  @Test
  void aShortTakeMovesNothingAndLeavesNoMark() {
    SkuStock stock = new SkuStock(2);
    assertThat(stock.take("o1", 3, T0)).isEqualTo(SkuStock.Outcome.SHORT);
    assertThat(stock.available()).isEqualTo(2);
    assertThat(stock.marks()).isZero();
    assertThat(stock.take("o1", 2, T0)).isEqualTo(SkuStock.Outcome.TAKEN);
    assertThat(stock.available()).isZero();
  }

  @Test
  void aGiveBackReturnsWhatWasTakenOnceAndALaterTakeTakesNothing() {
    SkuStock stock = new SkuStock(10);
    stock.take("o1", 4, T0);
    assertThat(stock.giveBack("o1", 4, false, T0 + 1)).isTrue();
    assertThat(stock.giveBack("o1", 4, true, T0 + 2)).isFalse();
    assertThat(stock.available()).isEqualTo(10);
    assertThat(stock.take("o1", 4, T0 + 3)).isEqualTo(SkuStock.Outcome.GIVEN_BACK);
    assertThat(stock.available()).isEqualTo(10);
  }

  @Test
  void aGiveBackThatOvertakesItsTakeGivesNothingAndBlocksTheTake() {
    SkuStock stock = new SkuStock(10);
    assertThat(stock.giveBack("o1", 4, false, T0)).isFalse();
    assertThat(stock.take("o1", 4, T0 + 1)).isEqualTo(SkuStock.Outcome.GIVEN_BACK);
    assertThat(stock.available()).isEqualTo(10);
  }

  @Test
  void marksAreForgottenAfterTheRetentionAndOnlyThen() {
    SkuStock stock = new SkuStock(10);
    stock.take("old", 1, T0);
    stock.take("new", 1, T0 + SkuStock.MARK_RETENTION_MS / 2);
    stock.take("other", 1, T0 + SkuStock.MARK_RETENTION_MS - 1);
    assertThat(stock.marks()).isEqualTo(3);
    stock.take("later", 1, T0 + SkuStock.MARK_RETENTION_MS + 1);
    assertThat(stock.marks()).isEqualTo(3);
    // A give-back of an order whose mark is gone trusts the order's record (it says RESERVED).
    assertThat(stock.giveBack("old", 1, true, T0 + SkuStock.MARK_RETENTION_MS + 2)).isTrue();
    assertThat(stock.available()).isEqualTo(7);
  }

  @Test
  void theLevelAndEveryMarkSurviveSerialization() {
    InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
        .setConfig(new Config().getSerializationConfig()).build();
    SkuStock stock = new SkuStock(10);
    stock.take("taken", 2, T0);
    stock.giveBack("returned", 3, false, T0 + 1);
    SkuStock copy = serialization.toObject(serialization.toData(stock));
    assertThat(copy.available()).isEqualTo(8);
    assertThat(copy.marks()).isEqualTo(2);
    assertThat(copy.take("taken", 2, T0 + 2)).isEqualTo(SkuStock.Outcome.TAKEN);
    assertThat(copy.take("returned", 3, T0 + 2)).isEqualTo(SkuStock.Outcome.GIVEN_BACK);
    assertThat(copy.available()).isEqualTo(8);
  }
}
