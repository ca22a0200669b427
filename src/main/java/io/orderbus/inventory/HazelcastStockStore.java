package io.orderbus.inventory;

import io.orderbus.events.Line;

import io.orderbus.messaging.ClusterClock;
import io.orderbus.messaging.HazelcastCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.ReservationProcessors.Begin;
import io.orderbus.inventory.ReservationProcessors.BeginRelease;
import io.orderbus.inventory.ReservationProcessors.FinishRelease;
import io.orderbus.inventory.ReservationProcessors.Settle;
import io.orderbus.inventory.StockProcessors.GiveBack;
import io.orderbus.inventory.StockProcessors.ReadLevel;
import io.orderbus.inventory.StockProcessors.SetLevel;
import io.orderbus.inventory.StockProcessors.Take;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import static io.orderbus.inventory.InventoryContract.ReservationState.REJECTED;
import static io.orderbus.inventory.InventoryContract.ReservationState.RELEASED;
import static io.orderbus.inventory.InventoryContract.ReservationState.RELEASING;
import static io.orderbus.inventory.InventoryContract.ReservationState.RESERVED;
import static io.orderbus.inventory.InventoryContract.ReservationState.RESERVING;
import static io.orderbus.inventory.ReservationProcessors.read;

/**
 * The embedded store: each SKU's stock ({@link SkuStock}) and each order's record in Hazelcast maps,
 * changed only by entry processors, one atomic step on one key at a time, with no transaction and no lock
 * held across calls. An order is reserved as: open its record (RESERVING), take each line from its SKU in
 * SKU order, then settle the record RESERVED, or REJECTED at the first line that cannot be had and give
 * every line back. Every step is idempotent per order, so a repeated or concurrent attempt (a redelivered
 * event, another node) takes nothing twice, and the record's first settled outcome is the one every
 * attempt acts on: nothing is oversold and no unit is lost, whichever node stops between which steps
 * (the next attempt finishes the job). Stock is conserved at every moment in {@code available + taken}.
 *
 * <p>Unlike the two-phase transaction this replaced, an order that takes the last unit of one SKU and then
 * finds another short gives the first back a moment later: an order for that unit in that moment is refused.
 */
final class HazelcastStockStore implements StockStore {
  private final Vertx vertx;
  private final IMap<String, SkuStock> stock;
  private final IMap<String, String> reservations;
  private final String node;
  private final HazelcastInstance hazelcast;
  private final ClusterClock clock;

  HazelcastStockStore(Vertx vertx, HazelcastInstance hazelcast, String node) {
    this.vertx = vertx;
    this.stock = hazelcast.getMap(InventoryContract.STOCK_MAP);
    this.reservations = hazelcast.getMap(InventoryContract.RESERVATIONS_MAP);
    this.node = node;
    this.clock = ClusterClock.of(hazelcast);
    this.hazelcast = hazelcast;
  }

  /**
   * Seeds only a cluster that never had stock: one whose stock map is empty and that has no record of a seed.
   * The record is in a replicated map, a copy on every member, so it outlives losing the two members that
   * held some SKUs' stock; without it, their restart would put those SKUs back at the demo level.
   */
  @Override
  public Future<Void> seed(Map<String, Integer> demo) {
    var seeded = hazelcast.<String, Long>getReplicatedMap(InventoryContract.SEEDED_MAP);
    return vertx.executeBlocking(() -> seeded.containsKey("demo") || !stock.isEmpty(), false).compose(had -> {
      if (had) {
        return Future.succeededFuture();
      }
      return seedNow(demo).compose(v -> vertx.executeBlocking(() -> seeded.put("demo", clock.now()), false)).mapEmpty();
    });
  }

  private Future<Void> seedNow(Map<String, Integer> demo) {
    List<Future<Integer>> all = new ArrayList<>();
    demo.forEach((sku, available) -> all.add(on(stock.submitToKey(sku, new SetLevel(available, true)))));
    return Future.all(all).mapEmpty();
  }

  @Override
  public Future<Integer> available(String sku) {
    return on(stock.submitToKey(sku, new ReadLevel()));
  }

  @Override
  public Future<Void> set(String sku, int available) {
    return on(stock.submitToKey(sku, new SetLevel(available, false))).mapEmpty();
  }

  @Override
  public Future<Map<String, Integer>> levels(Set<String> skus) {
    if (skus == null) {
      return vertx.executeBlocking(() -> withoutUnknown(stock.executeOnEntries(new ReadLevel())), false);
    }
    return on(stock.submitToKeys(skus, new ReadLevel())).map(HazelcastStockStore::withoutUnknown);
  }

  @Override
  public Future<StockChange> reserve(String orderId, List<Line> lines) {
    long now = clock.now();
    return on(reservations.submitToKey(orderId, new Begin(record(orderId, RESERVING, lines, null, null))))
        .compose(before -> {
          Reservation prior = read(before);
          if (prior == null || prior.state().equals(RESERVING)) {
            // The first attempt's lines decide, should a repeated request name others.
            List<Line> its = prior == null ? lines : prior.lines();
            return takeAll(orderId, its, now);
          }
          if (prior.state().equals(REJECTED)) {
            // An attempt may have stopped between settling and giving back: finish that (it is idempotent).
            return giveBackAll(orderId, prior.lines(), false, now).map(levels -> new StockChange(prior, levels));
          }
          return Future.succeededFuture(new StockChange(asSeenByReserve(prior), Map.of()));
        });
  }

  @Override
  public Future<StockChange> release(String orderId) {
    long now = clock.now();
    return on(reservations.submitToKey(orderId, new BeginRelease(record(orderId, RELEASED, List.of(), null, null))))
        .compose(before -> {
          Reservation prior = read(before);
          if (prior == null) {
            return Future.succeededFuture(new StockChange(record(orderId, RELEASED, List.of(), null, null), Map.of()));
          }
          boolean holds = prior.state().equals(RESERVING) || prior.state().equals(RESERVED)
              || prior.state().equals(RELEASING);
          if (!holds) {
            return Future.succeededFuture(new StockChange(prior, Map.of()));
          }
          boolean taken = prior.state() == RESERVED || RESERVED.name().equals(prior.reason());
          Reservation released = record(orderId, RELEASED, new ArrayList<>(prior.lines()), null, null);
          return giveBackAll(orderId, prior.lines(), taken, now)
              .compose(levels -> on(reservations.submitToKey(orderId, new FinishRelease(released)))
                  .map(v -> new StockChange(released, levels)));
        });
  }

  /** Takes every line in SKU order, then settles the record; gives everything back unless it is RESERVED. */
  private Future<StockChange> takeAll(String orderId, List<Line> lines, long now) {
    List<Map.Entry<String, Integer>> wanted = new ArrayList<>(StockStore.wanted(lines).entrySet());
    Map<String, Integer> levels = new TreeMap<>();
    return take(orderId, wanted, 0, levels, now).compose(shortAt -> {
      Reservation outcome = shortAt == null
          ? record(orderId, RESERVED, lines, null, null)
          : record(orderId, REJECTED, lines, shortAt.reason(), shortAt.sku());
      return on(reservations.submitToKey(orderId, new Settle(outcome))).compose(before -> {
        Reservation prior = read(before);
        Reservation winner = prior == null || prior.state().equals(RESERVING) ? outcome : prior;
        if (winner.state().equals(RESERVED)) {
          return Future.succeededFuture(new StockChange(winner, levels));
        }
        return giveBackAll(orderId, lines, false, now).map(after -> {
          levels.putAll(after);
          return new StockChange(asSeenByReserve(winner), levels);
        });
      });
    });
  }

  /** Null when every line from {@code index} on was taken, else where and why one was not. */
  private Future<Shortfall> take(String orderId, List<Map.Entry<String, Integer>> wanted, int index,
                             Map<String, Integer> levels, long now) {
    if (index == wanted.size()) {
      return Future.succeededFuture();
    }
    String sku = wanted.get(index).getKey();
    return on(stock.submitToKey(sku, new Take(orderId, wanted.get(index).getValue(), now))).compose(result -> {
      if (result >= 0) {
        levels.put(sku, result);
        return take(orderId, wanted, index + 1, levels, now);
      }
      String reason = switch (result) {
        case StockProcessors.UNKNOWN -> "UNKNOWN_SKU";
        case StockProcessors.GIVEN_BACK -> RELEASED.name();
        default -> "OUT_OF_STOCK";
      };
      return Future.succeededFuture(new Shortfall(sku, reason));
    });
  }

  private Future<Map<String, Integer>> giveBackAll(String orderId, List<Line> lines, boolean taken, long now) {
    List<Future<Integer>> all = new ArrayList<>();
    List<String> skus = new ArrayList<>();
    StockStore.wanted(lines).forEach((sku, quantity) -> {
      skus.add(sku);
      all.add(on(stock.submitToKey(sku, new GiveBack(orderId, quantity, taken, now))));
    });
    return Future.all(all).map(done -> {
      Map<String, Integer> levels = new TreeMap<>();
      for (int i = 0; i < skus.size(); i++) {
        int level = done.<Integer>resultAt(i);
        if (level >= 0) {
          levels.put(skus.get(i), level);
        }
      }
      return levels;
    });
  }

  /** A release under way is, to a reservation, a release. */
  private static Reservation asSeenByReserve(Reservation record) {
    return record.state().equals(RELEASING)
        ? new Reservation(record.orderId(), RELEASED, record.lines(), null, null, record.node())
        : record;
  }

  private Reservation record(String orderId, InventoryContract.ReservationState state, List<Line> lines, String reason,
                             String sku) {
    return new Reservation(orderId, state, lines, reason, sku, node);
  }

  private static Map<String, Integer> withoutUnknown(Map<String, Integer> levels) {
    Map<String, Integer> known = new TreeMap<>();
    levels.forEach((sku, level) -> {
      if (level != null) {
        known.put(sku, level);
      }
    });
    return known;
  }

  private <T> Future<T> on(CompletionStage<T> stage) {
    return HazelcastCalls.on(stage, vertx.getOrCreateContext());
  }

  private record Shortfall(String sku, String reason) {
  }
}
