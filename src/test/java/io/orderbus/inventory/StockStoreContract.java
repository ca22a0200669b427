package io.orderbus.inventory;

import io.orderbus.events.Line;
import io.orderbus.inventory.InventoryContract.ReservationState;
import io.orderbus.inventory.StockStore.StockChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link StockStore} promises, run against each backend by a subclass ({@link HazelcastStockStoreTest},
 * {@link PgStockStoreTest}): all lines or none, never oversold, each order taken and given back once whichever
 * node asks how often, a release before the reservation stopping it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class StockStoreContract {

  /** A store as node {@code node} has it; two names are two nodes sharing the same stock. */
  abstract StockStore store(Vertx vertx, String node);

  @Test
  void neverReseedsAnExistingSkuAndSetsLevels(Vertx vertx) throws Exception {
    StockStore store = store(vertx, "n1");
    String sku = sku();
    await(store.set(sku, 7));
    await(store.seed(Map.of(sku, 100)));
    assertThat(await(store.available(sku))).as("an existing SKU is never re-seeded").isEqualTo(7);
    assertThat(await(store.levels(Set.of(sku, "nope-" + sku)))).containsExactlyInAnyOrderEntriesOf(Map.of(sku, 7));
    assertThat(await(store.available("no-such-sku"))).isNull();
  }

  @Test
  void reservesEveryLineOrNone(Vertx vertx) throws Exception {
    StockStore store = store(vertx, "n1");
    String a = sku();
    String b = sku();
    await(store.set(a, 5));
    await(store.set(b, 1));

    StockChange rejected = await(store.reserve("o-" + a, List.of(new Line(a, 2), new Line(b, 2))));
    assertThat(rejected.outcome().state()).isEqualTo(ReservationState.REJECTED);
    assertThat(rejected.outcome().reason()).isEqualTo("OUT_OF_STOCK");
    assertThat(rejected.outcome().sku()).isEqualTo(b);
    assertThat(await(store.levels(Set.of(a, b)))).containsExactlyInAnyOrderEntriesOf(Map.of(a, 5, b, 1));

    StockChange unknown = await(store.reserve("u-" + a, List.of(new Line(a, 1), new Line("ghost-" + a, 1))));
    assertThat(unknown.outcome().reason()).isEqualTo("UNKNOWN_SKU");

    StockChange reserved = await(store.reserve("r-" + a, List.of(new Line(a, 2), new Line(b, 1), new Line(a, 1))));
    assertThat(reserved.outcome().reserved()).isTrue();
    assertThat(reserved.levels()).containsExactlyInAnyOrderEntriesOf(Map.of(a, 2, b, 0));
    assertThat(await(store.levels(Set.of(a, b)))).containsExactlyInAnyOrderEntriesOf(Map.of(a, 2, b, 0));
  }

  @Test
  void askingAgainChangesNothingAndAReleaseGivesBackOnce(Vertx vertx) throws Exception {
    StockStore store = store(vertx, "n1");
    String sku = sku();
    await(store.set(sku, 10));
    String order = "o-" + sku;
    StockChange first = await(store.reserve(order, List.of(new Line(sku, 3))));
    StockChange again = await(store(vertx, "n2").reserve(order, List.of(new Line(sku, 3))));
    assertThat(again.outcome()).isEqualTo(first.outcome());
    assertThat(again.levels()).isEmpty();
    assertThat(await(store.available(sku))).isEqualTo(7);

    StockChange released = await(store.release(order));
    assertThat(released.outcome().state()).isEqualTo(ReservationState.RELEASED);
    assertThat(released.levels()).containsEntry(sku, 10);
    assertThat(await(store.release(order)).levels()).isEmpty();
    assertThat(await(store.reserve(order, List.of(new Line(sku, 3)))).outcome().state()).isEqualTo(ReservationState.RELEASED);
    assertThat(await(store.available(sku))).isEqualTo(10);

    String early = "early-" + sku;
    assertThat(await(store.release(early)).outcome().state()).isEqualTo(ReservationState.RELEASED);
    assertThat(await(store.reserve(early, List.of(new Line(sku, 1)))).outcome().state())
        .as("a reservation after its release takes nothing").isEqualTo(ReservationState.RELEASED);
    assertThat(await(store.available(sku))).isEqualTo(10);
  }

  @Test
  void concurrentReservationsFromTwoNodesNeverOversell(Vertx vertx) throws Exception {
    StockStore one = store(vertx, "n1");
    StockStore two = store(vertx, "n2");
    String a = sku();
    String b = sku();
    await(one.set(a, 10));
    await(one.set(b, 10));
    List<Future<StockChange>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Half the orders lock a then b, half b then a (as written): the store locks in SKU order regardless.
      List<Line> lines = i % 2 == 0 ? List.of(new Line(a, 1), new Line(b, 1)) : List.of(new Line(b, 1), new Line(a, 1));
      all.add((i % 2 == 0 ? one : two).reserve("c" + i + "-" + a, lines));
    }
    Future.all(all).await(60, TimeUnit.SECONDS);
    long reserved = all.stream().filter(f -> f.result().outcome().reserved()).count();
    assertThat(reserved).isEqualTo(10);
    assertThat(all.stream().filter(f -> !f.result().outcome().reserved()))
        .allSatisfy(f -> assertThat(f.result().outcome().reason()).isEqualTo("OUT_OF_STOCK"));
    assertThat(await(one.levels(Set.of(a, b)))).containsExactlyInAnyOrderEntriesOf(Map.of(a, 0, b, 0));
  }

  static String sku() {
    return "sku-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
