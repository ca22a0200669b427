package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.Scrape;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200,000 orders flow through one node (every role, a 256 MB heap) that keeps orders, their reservations and
 * their mail 10 s: it takes them all, works them off, the first order is gone once its retention passed, and
 * its heap after a full GC is a fraction of what 200,000 kept orders would need (they would not fit).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 1500, unit = TimeUnit.SECONDS)
class RetentionIT {
  private static final int ORDERS = 200_000;
  private static final int IN_FLIGHT = 32;
  private static final long HEAP_LIMIT = 128L << 20;

  @Test
  void aNodeKeepsASteadyHeapWhile200kOrdersFlowThroughWithAShortRetention(Vertx vertx) throws Exception {
    try (ProcessNodes cluster = new ProcessNodes(1)) {
      NodeProcess node = cluster.start(0, "gateway,order,inventory,email", "--order-retention", "PT10S",
          "--dead-letter-after", "PT4S", "--dead-letter-retention", "PT4S");
      Api api = new Api(vertx, node.awaitReady(ProcessNodes.READY_TIMEOUT));
      assertThat(api.put("/inventory/kept", new JsonObject().put("available", 1_000_000_000)).status()).isEqualTo(200);

      WebClient client = WebClient.wrap(vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(api.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(IN_FLIGHT)));
      AtomicInteger next = new AtomicInteger();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger idle = new AtomicInteger();
      AtomicReference<String> first = new AtomicReference<>();
      AtomicReference<String> lastFailure = new AtomicReference<>();
      Promise<Void> done = Promise.promise();
      long start = System.nanoTime();
      vertx.runOnContext(v -> {
        for (int w = 0; w < IN_FLIGHT; w++) {
          place(client, next, accepted, failed, idle, first, lastFailure, done);
        }
      });
      done.future().await(1200, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("retention: %d orders accepted, %d failed in %.0f s (%.0f/s)%n", accepted.get(), failed.get(),
          seconds, accepted.get() / seconds);
      assertThat(failed.get()).as("orders not accepted, e.g. %s", lastFailure.get()).isZero();

      // What is left after the flow: retained orders only, once the backlog is worked off.
      io.orderbus.support.DeliveryCheck.awaitNothingPending(api, Duration.ofSeconds(300));
      Eventually.until(Duration.ofSeconds(90), "the first order gone after its retention",
          () -> api.get("/orders/" + first.get()).status() == 404);
      node.jcmd("GC.run");
      double heap = new Scrape(api.get("/metrics").body()).sum("jvm_memory_used_bytes", "area", "heap");
      System.out.printf("retention: heap after a full GC %.1f MB%n", heap / (1 << 20));
      assertThat((long) heap).as("heap bytes after a full GC").isLessThan(HEAP_LIMIT);
      assertThat(node.isAlive()).isTrue();
    }
  }

  private static void place(WebClient client, AtomicInteger next, AtomicInteger accepted, AtomicInteger failed,
                            AtomicInteger idle, AtomicReference<String> first, AtomicReference<String> lastFailure,
                            Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= ORDERS) {
      if (idle.incrementAndGet() == IN_FLIGHT) {
        done.complete();
      }
      return;
    }
    client.post("/orders").sendJsonObject(Api.order("kept-" + (i % 1000) + "@example.com", "kept", 1)).onComplete(ar -> {
      if (ar.succeeded() && ar.result().statusCode() == 202) {
        accepted.incrementAndGet();
        if (i == 0) {
          first.set(ar.result().bodyAsJsonObject().getString("id"));
        }
      } else {
        failed.incrementAndGet();
        lastFailure.set(ar.succeeded() ? ar.result().statusCode() + " " + ar.result().bodyAsString() : String.valueOf(ar.cause()));
      }
      place(client, next, accepted, failed, idle, first, lastFailure, done);
    });
  }
}
