package io.orderbus;

import io.orderbus.support.Api;
import io.orderbus.support.DeliveryCheck;
import io.orderbus.support.Eventually;
import io.orderbus.support.OrderStream;
import io.orderbus.support.OrderStream.Placed;
import io.orderbus.support.Postgres;
import io.orderbus.support.Scrape;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL, the stock store of the inventory node, down for longer than any few retries last, under a steady
 * stream of async orders: with the default delivery settings (only the longest backoff lowered, so the backlog
 * drains quickly), every accepted order is decided once the database is back, nothing is dead-lettered, and the
 * stock is exact: what was there, less what the confirmed orders took.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PgOutageTest {
  /** Far longer than today's retries of a failing event (maxAttempts 5 from a 0.2 s backoff: about 3 s). */
  private static final Duration OUTAGE = Duration.ofSeconds(25);
  private static final int ORDERS_PER_SECOND = 10;
  /** Orders that must be decided before the outage, and again after it. */
  private static final int ORDERS_TO_SEE = 10;
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration DRAIN = Duration.ofMinutes(2);
  private static final String RETRY_BACKOFF_MAX = "PT5S";
  private static final String ADMIN_TOKEN = UUID.randomUUID().toString();
  private static final Set<String> DECIDED = Set.of("CONFIRMED", "REJECTED");

  private static Postgres postgres;
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    postgres = new Postgres();
    nodes = new TestNodes(2);
    // Default delivery settings (maxAttempts, retryBackoff, ...) except the longest backoff, on every node:
    // retries are scheduled by whichever node owns the pending entry.
    api = new Api(vertx, nodes.start(0, "gateway,order,email", "adminToken", ADMIN_TOKEN,
        "retryBackoffMax", RETRY_BACKOFF_MAX).httpPort(), ADMIN_TOKEN);
    nodes.start(1, "inventory", "stockStore", "postgres", "pgUri", postgres.uri(), "retryBackoffMax", RETRY_BACKOFF_MAX);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aPostgresOutageCostsNoOrderAndLeavesTheStockExact() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    // Two SKUs with stock for every order, one that runs out during the run: orders are confirmed and rejected.
    Map<String, Integer> initial = new TreeMap<>(Map.of("pen-" + run, 100_000, "ink-" + run, 100_000, "rare-" + run, 60));
    for (Map.Entry<String, Integer> sku : initial.entrySet()) {
      assertThat(api.put("/inventory/" + sku.getKey(), new JsonObject().put("available", sku.getValue())).status())
          .isEqualTo(200);
    }
    List<String> skus = List.copyOf(initial.keySet());
    String customer = "pg-outage-" + run + "@example.com";
    List<Placed> placed;
    OrderStream stream = new OrderStream(api, ORDERS_PER_SECOND, i -> i % 4 == 3
        // Every fourth order takes two SKUs at once: all of it, or none.
        ? Api.order(customer, skus.get(i % 3), 1 + i % 2, skus.get((i + 1) % 3), 1)
        : Api.order(customer, skus.get(i % 3), 1 + (i / 3) % 3));
    try {
      awaitDecided(stream, 0, "before the outage");

      double failedBefore = failedInventoryHandling();
      postgres.stop();
      int acceptedAtStop = stream.accepted();
      Thread.sleep(OUTAGE.dividedBy(2).toMillis()); // the outage itself, not a wait for readiness
      int acceptedHalfway = stream.accepted();
      Thread.sleep(OUTAGE.dividedBy(2).toMillis());
      double failedDuringOutage = failedInventoryHandling() - failedBefore;
      postgres.start();
      // The outage must have bitten: every order of its first half had its reservation tried, and failed, at least once.
      assertThat(acceptedHalfway - acceptedAtStop).as("orders accepted in the first half of the outage").isPositive();
      assertThat(failedDuringOutage).as("failed stock reservations during the outage")
          .isGreaterThanOrEqualTo(acceptedHalfway - acceptedAtStop);

      awaitDecided(stream, stream.answered(), "after the outage");
    } finally {
      placed = stream.stop();
    }

    DeliveryCheck.awaitNothingPending(api, DRAIN);

    Map<String, Placed> accepted = new LinkedHashMap<>();
    placed.stream().filter(Placed::accepted).forEach(p -> accepted.put(p.id(), p));
    // The async path answers 409 at once for a quantity above the last stock level it heard of: not accepted.
    List<Placed> refused = placed.stream().filter(p -> !p.accepted() && !outOfStock(p)).toList();
    Map<String, String> undecided = new LinkedHashMap<>();
    Map<String, Integer> taken = new TreeMap<>();
    initial.keySet().forEach(sku -> taken.put(sku, 0));
    int confirmed = 0;
    int rejected = 0;
    for (Placed order : accepted.values()) {
      String status = api.get("/orders/" + order.id()).json().getString("status");
      if ("CONFIRMED".equals(status)) {
        confirmed++;
        for (Object line : order.body().getJsonArray("items")) {
          JsonObject item = (JsonObject) line;
          taken.merge(item.getString("sku"), item.getInteger("quantity"), Integer::sum);
        }
      } else if ("REJECTED".equals(status)) {
        rejected++;
      } else {
        undecided.put(order.id(), status);
      }
    }
    Map<String, Integer> expected = new TreeMap<>();
    initial.forEach((sku, stock) -> expected.put(sku, stock - taken.get(sku)));
    Map<String, Integer> viaApi = new TreeMap<>();
    for (String sku : skus) {
      viaApi.put(sku, api.get("/inventory/" + sku).json().getInteger("available"));
    }
    Map<String, Integer> inDatabase = new TreeMap<>();
    try (Connection c = postgres.connect();
         PreparedStatement q = c.prepareStatement("SELECT sku, available FROM stock WHERE sku = ANY(?)")) {
      q.setArray(1, c.createArrayOf("text", skus.toArray()));
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          inDatabase.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    JsonArray deadLetters = DeliveryCheck.deadLetters(api);
    Scrape metrics = new Scrape(api.get("/metrics").body());
    int confirmedOrders = confirmed;
    int rejectedOrders = rejected;

    System.out.println("postgres outage of " + OUTAGE + ": " + placed.size() + " orders placed, " + accepted.size()
        + " accepted (" + confirmed + " confirmed, " + rejected + " rejected, " + undecided.size() + " undecided), "
        + deadLetters.size() + " dead letters; available " + viaApi + " via the API, " + inDatabase + " in PostgreSQL, "
        + expected + " expected");
    SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(refused).as("orders neither accepted (202) nor refused as out of stock (409), of %d placed",
          placed.size()).isEmpty();
      soft.assertThat(undecided.size())
          .as("accepted orders (of %d; %d confirmed, %d rejected) neither CONFIRMED nor REJECTED, e.g. %s",
              accepted.size(), confirmedOrders, rejectedOrders, first(undecided.entrySet())).isZero();
      soft.assertThat(deadLetters.size()).as("dead letters, e.g. %s",
          deadLetters.isEmpty() ? "-" : DeliveryCheck.describe(deadLetters.getJsonObject(0))).isZero();
      soft.assertThat(metrics.values("orderbus_delivery_dead_lettered_total", "group")).as("dead-letter counter exposed")
          .contains("inventory");
      soft.assertThat(metrics.sum("orderbus_delivery_dead_lettered_total")).as("orderbus_delivery_dead_lettered_total")
          .isZero();
      soft.assertThat(viaApi).as("available per SKU (GET /inventory/{sku}) = initial %s - confirmed %s", initial, taken)
          .isEqualTo(expected);
      soft.assertThat(inDatabase).as("available per SKU in PostgreSQL = initial %s - confirmed %s", initial, taken)
          .isEqualTo(expected);
    });
  }

  /** Waits until {@value #ORDERS_TO_SEE} orders accepted among those answered from {@code from} on are decided. */
  private static void awaitDecided(OrderStream stream, int from, String when) {
    Eventually.until(SETTLE, ORDERS_TO_SEE + " accepted orders decided " + when, () -> {
      List<Placed> placed = stream.placed();
      List<Placed> accepted = placed.subList(Math.min(from, placed.size()), placed.size()).stream()
          .filter(Placed::accepted).limit(ORDERS_TO_SEE).toList();
      return accepted.size() == ORDERS_TO_SEE
          && accepted.stream().allMatch(o -> DECIDED.contains(api.get("/orders/" + o.id()).json().getString("status")));
    });
  }

  private static boolean outOfStock(Placed order) {
    return order.status() == 409 && order.error() != null && order.error().contains("\"OUT_OF_STOCK\"");
  }

  private static double failedInventoryHandling() {
    return new Scrape(api.get("/metrics").body())
        .sum("orderbus_delivery_handled_total", "group", "inventory", "outcome", "failed");
  }

  private static <T> List<T> first(Collection<T> items) {
    return items.stream().limit(3).toList();
  }
}
