package io.orderbus.inventory;

import io.orderbus.inventory.InventoryContract.ReservationState;

import io.orderbus.events.Line;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded store with two members, each its own store as two inventory nodes would be: the same order
 * reserved and released many times at once from both never takes or gives back twice.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentReservationTest {
  private static TestNodes nodes;
  private static HazelcastStockStore first;
  private static HazelcastStockStore second;

  @BeforeAll
  static void start(Vertx vertx) {
    nodes = new TestNodes(2);
    HazelcastInstance a = nodes.hazelcast(0);
    HazelcastInstance b = nodes.hazelcast(1);
    first = new HazelcastStockStore(vertx, a, "first");
    second = new HazelcastStockStore(vertx, b, "second");
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void theSameOrderAskedManyTimesFromTwoNodesReservesOnce() throws Exception {
    String a = sku();
    String b = sku();
    set(a, 10);
    set(b, 10);
    for (int order = 0; order < 20; order++) {
      String id = "order-" + order;
      List<Line> lines = List.of(new Line(b, 1), new Line(a, 2));
      List<Future<StockStore.StockChange>> attempts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        attempts.add((i % 2 == 0 ? first : second).reserve(id, lines));
      }
      Future.all(attempts).await(30, TimeUnit.SECONDS);
      // Stock for 5 orders of (2 a, 1 b): the first five reserve, the rest are rejected, each exactly once.
      ReservationState expected = order < 5 ? ReservationState.RESERVED : ReservationState.REJECTED;
      attempts.forEach(attempt -> assertThat(attempt.result().outcome().state()).isEqualTo(expected));
    }
    assertThat(level(a)).isZero();
    assertThat(level(b)).isEqualTo(5);
  }

  @Test
  void reservationsAndReleasesOfTheSameOrdersRacingOnTwoNodesConserveStock() throws Exception {
    String a = sku();
    String b = sku();
    set(a, 1000);
    set(b, 1000);
    List<Future<StockStore.StockChange>> all = new ArrayList<>();
    for (int order = 0; order < 100; order++) {
      String id = UUID.randomUUID().toString();
      List<Line> lines = List.of(new Line(a, 3), new Line(b, 1));
      all.add(first.reserve(id, lines));
      all.add(second.reserve(id, lines));
      all.add((order % 2 == 0 ? second : first).release(id));
      all.add(first.reserve(id, lines));
    }
    Future.all(all).await(60, TimeUnit.SECONDS);
    // Every order was released in the end, whichever step came first: all stock is back.
    assertThat(level(a)).isEqualTo(1000);
    assertThat(level(b)).isEqualTo(1000);
    // And none of them can take anything any more.
    for (int i = 0; i < all.size(); i += 4) {
      String id = all.get(i + 2).result().outcome().orderId();
      assertThat(first.reserve(id, List.of(new Line(a, 3))).await(10, TimeUnit.SECONDS).outcome().state())
          .isEqualTo(ReservationState.RELEASED);
    }
    assertThat(level(a)).isEqualTo(1000);
  }

  @Test
  void levelsListOnlyKnownSkus() throws Exception {
    String a = sku();
    set(a, 7);
    assertThat(second.levels(Set.of(a, "no-such-sku")).await(10, TimeUnit.SECONDS)).containsExactlyEntriesOf(
        java.util.Map.of(a, 7));
    assertThat(first.available("no-such-sku").await(10, TimeUnit.SECONDS)).isNull();
  }

  private static String sku() {
    return "sku-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void set(String sku, int available) throws Exception {
    first.set(sku, available).await(10, TimeUnit.SECONDS);
  }

  private static int level(String sku) throws Exception {
    return second.available(sku).await(10, TimeUnit.SECONDS);
  }
}
