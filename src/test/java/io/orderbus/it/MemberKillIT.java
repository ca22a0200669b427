package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.Postgres;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.Scrape;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member of a group is SIGKILLed while it holds 500 events it has not acknowledged: the node that handed
 * them out hears it left and hands them to the other member, which handles every one within 5 s of the
 * detection; none is lost and each has its effect once. The member holds them because its database is
 * slow: the test keeps the SKUs' stock rows locked, so every reservation waits.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class MemberKillIT {
  private static final int HELD = 500;
  /** Four nodes dispatch: the other member's default credit (256) gives it 64; the holder gets the rest. */
  private static final int OTHERS_SHARE = 256 / 4;
  private static final int ORDERS = HELD + OTHERS_SHARE;
  private static final int SKUS = 8;
  private static final Duration SETTLE = Duration.ofSeconds(120);

  @Test
  void aMemberKilledWhileHolding500EventsLosesNoneAndTheOtherHandlesThemWithin5sOfDetection(Vertx vertx) throws Exception {
    try (Postgres pg = new Postgres(); ProcessNodes cluster = new ProcessNodes(4)) {
      // Four nodes dispatch, so each may hand a member a quarter of its credit: the holder's quarter is 500.
      NodeProcess gateway = cluster.launch(0, "gateway,order");
      NodeProcess holder = cluster.launch(1, "inventory", "--stock-store", "postgres", "--pg-uri", pg.uri(),
          "--prefetch", String.valueOf(4 * HELD));
      // The one left takes over 500 events at once: a larger pool lets it work more of them in parallel. Its
      // credit stays the default, so that it fills up first (OTHERS_SHARE) and the holder gets the rest.
      NodeProcess other = cluster.launch(2, "inventory", "--stock-store", "postgres", "--pg-uri", pg.uri(),
          "--pg-pool-size", "16");
      NodeProcess email = cluster.launch(3, "email");
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT));
      for (NodeProcess p : List.of(holder, other, email)) {
        p.awaitReady(ProcessNodes.READY_TIMEOUT);
      }
      // Several SKUs, so that once the rows are free the reservations do not queue on one row's lock.
      String prefix = "slow-" + UUID.randomUUID().toString().substring(0, 6) + "-";
      List<String> skus = new ArrayList<>();
      int initial = 100_000;
      for (int i = 0; i < SKUS; i++) {
        skus.add(prefix + i);
        assertThat(api.put("/inventory/" + prefix + i, new JsonObject().put("available", initial)).status()).isEqualTo(200);
      }

      List<String> ids = new ArrayList<>();
      try (Connection lock = pg.connect()) {
        lock.setAutoCommit(false);
        try (PreparedStatement rowLock = lock.prepareStatement(
            "SELECT available FROM stock WHERE sku = ANY(?) ORDER BY sku FOR UPDATE")) {
          rowLock.setArray(1, lock.createArrayOf("text", skus.toArray()));
          rowLock.executeQuery().close();
        }
        String customer = "held-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        for (int i = 0; i < ORDERS; i++) {
          Response r = api.post("/orders", Api.order(customer, skus.get(i % SKUS), 1));
          assertThat(r.status()).as(r.body()).isEqualTo(202);
          ids.add(r.json().getString("id"));
        }
        Eventually.until(Duration.ofSeconds(60), "the holder holds " + HELD + " events",
            () -> held(api, holder.name()) == HELD);
        try (Connection check = pg.connect()) {
          assertThat(reservations(check, ids)).as("nothing reserved while the rows are locked").isZero();
        }

        holder.kill();
        lock.rollback();
      }
      long detectedAt = Eventually.await(Duration.ofSeconds(30), "the holder gone from the cluster", () ->
          api.get("/cluster").json().getJsonArray("nodes").stream()
              .noneMatch(n -> ((JsonObject) n).getString("name").equals(holder.name())) ? System.nanoTime() : null);
      long handledAt;
      // One connection for the polling: a new one per poll would fork a PostgreSQL backend every 50 ms.
      try (Connection poll = pg.connect()) {
        handledAt = Eventually.await(Duration.ofSeconds(60), "every order reserved", () ->
            reservations(poll, ids) == ORDERS ? System.nanoTime() : null);
      }
      long afterDetectionMs = TimeUnit.NANOSECONDS.toMillis(handledAt - detectedAt);
      System.out.println("member kill: " + ORDERS + " orders reserved " + afterDetectionMs + " ms after the holder's loss was seen");
      assertThat(afterDetectionMs).as("ms from detection to every held event handled").isLessThanOrEqualTo(5000);

      for (String id : ids) {
        Eventually.until(SETTLE, "order " + id + " confirmed and emailed", () -> {
          JsonObject o = api.get("/orders/" + id).json();
          return "CONFIRMED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus"));
        });
      }
      for (int i = 0; i < SKUS; i++) {
        int ordered = ORDERS / SKUS + (i < ORDERS % SKUS ? 1 : 0);
        assertThat(api.get("/inventory/" + skus.get(i)).json().getInteger("available")).as("stock taken once per order")
            .isEqualTo(initial - ordered);
      }
      Scrape metrics = new Scrape(api.get("/metrics").body());
      assertThat(metrics.sum("orderbus_delivery_redelivered_total", "group", "inventory"))
          .as("the holder's events sent again").isGreaterThanOrEqualTo(HELD);
      assertThat(metrics.sum("orderbus_delivery_dead_lettered_total")).isZero();
    }
  }

  private static double held(Api api, String node) {
    return new Scrape(api.get("/metrics").body()).sum("orderbus_delivery_held", "group", "inventory", "node", node);
  }

  /** Reservations of these orders committed with an outcome. */
  private static int reservations(Connection c, List<String> ids) {
    try (PreparedStatement count = c.prepareStatement(
        "SELECT count(*) FROM reservations WHERE order_id = ANY(?) AND outcome IS NOT NULL")) {
      count.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
