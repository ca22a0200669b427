package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /cluster} read while a node dies holds up nothing else. It used to ask every member whether its
 * backups were in sync (Hazelcast's {@code isClusterSafe()}): a survivor answered on its one generic
 * operation thread after up to 10 s of waiting for the dead member's replicas, and the putAll of every async
 * order waited behind it, past the gateway's 7 s (a CI run of {@code bench tradeoffs}: 4 of 10 orders 504).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterViewIT {

  @Test
  void ordersPlacedWhileTheClusterViewIsReadAsANodeDiesAreAllAccepted(Vertx vertx) throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try (ProcessNodes cluster = new ProcessNodes(3)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order");
      NodeProcess inventory = cluster.launch(1, "inventory");
      NodeProcess email = cluster.launch(2, "email");
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT));
      inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
      email.awaitReady(ProcessNodes.READY_TIMEOUT);
      Eventually.until(Duration.ofSeconds(60), "the cluster safe", () -> api.get("/cluster").json().getBoolean("safe"));
      String unique = UUID.randomUUID().toString().substring(0, 8);
      String customer = "view-" + unique + "@example.com";
      // Stock for every order the test can place: what is tested is that each is accepted, not the stock.
      String sku = "view-" + unique;
      assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 1_000_000)).status()).isEqualTo(200);
      for (int i = 0; i < 20; i++) {
        assertThat(api.post("/orders", Api.order(customer, sku, 1)).status()).isEqualTo(202);
      }

      email.kill();
      AtomicBoolean reading = new AtomicBoolean(true);
      List<Integer> viewStatuses = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int r = 0; r < 2; r++) {
        readers.submit(() -> {
          while (reading.get()) {
            viewStatuses.add(api.get("/cluster").status());
          }
        });
      }
      List<String> answers = new ArrayList<>();
      long start = System.nanoTime();
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8)) {
        Response r = api.post("/orders", Api.order(customer, sku, 1));
        answers.add(r.status() + (r.status() == 202 ? "" : " " + r.body()));
      }
      reading.set(false);
      // The readers end their last read before the list is looked at (a read still adding to it broke the check).
      readers.shutdown();
      assertThat(readers.awaitTermination(30, TimeUnit.SECONDS)).as("the readers stopped").isTrue();

      assertThat(answers).as("every order placed in the 8 s after the kill").isNotEmpty().allMatch("202"::equals);
      assertThat(viewStatuses).as("the cluster view was read meanwhile").isNotEmpty().allMatch(s -> s == 200);
      // And the view still tells the truth: not safe until the dead node's partitions have their backups again.
      JsonObject view = Eventually.await(Duration.ofSeconds(60), "the cluster safe again with two nodes", () -> {
        JsonObject v = api.get("/cluster").json();
        return v.getBoolean("safe") && v.getJsonArray("nodes").size() == 2 ? v : null;
      });
      assertThat(view.getJsonArray("nodes").getJsonObject(0).getJsonObject("backups").getBoolean("inSync")).isTrue();
    } finally {
      readers.shutdownNow();
    }
  }
}
