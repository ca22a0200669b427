package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event bus with mutual TLS, across JVMs: two nodes holding certificates of the cluster's CA work as one
 * (an order placed on one is reserved and mailed on the other); a third process that joined Hazelcast (which
 * has no authentication in open source) with a certificate of another CA cannot get a message to them: its
 * requests fail and nothing it asked for happens.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EventBusTlsIT {

  @Test
  void onlyNodesWithTheClustersCertificateTalk(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCertificates.Files3 cluster = TestCertificates.authorityWithNode(dir.resolve("cluster"), "orderbus");
    TestCertificates.Files3 stranger = TestCertificates.authorityWithNode(dir.resolve("stranger"), "stranger");
    try (ProcessNodes nodes = new ProcessNodes(3)) {
      NodeProcess front = nodes.launch(0, "gateway,order", tls(cluster));
      NodeProcess back = nodes.launch(1, "inventory,email", tls(cluster));
      NodeProcess intruder = nodes.launch(2, "gateway", tls(stranger));
      Api api = new Api(vertx, front.awaitReady(ProcessNodes.READY_TIMEOUT));
      back.awaitReady(ProcessNodes.READY_TIMEOUT);
      Api outside = new Api(vertx, intruder.awaitReady(ProcessNodes.READY_TIMEOUT));

      String sku = "tls-" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 5)).status())
          .as("gateway to inventory, across JVMs, over TLS").isEqualTo(200);
      var placed = api.post("/orders", Api.order("tls@example.com", sku, 2));
      assertThat(placed.status()).as(placed.body()).isEqualTo(202);
      String id = placed.json().getString("id");
      Eventually.until(Duration.ofSeconds(60), "the order confirmed and emailed", () -> {
        JsonObject order = api.get("/orders/" + id).json();
        return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
      });

      var refused = outside.post("/orders", Api.order("intruder@example.com", sku, 3));
      assertThat(refused.status()).as("the stranger's request never reaches the order service: %s", refused.body())
          .isIn(503, 504);
      assertThat(outside.put("/inventory/" + sku, new JsonObject().put("available", 1000)).status()).isIn(503, 504);
      assertThat(api.get("/inventory/" + sku).json().getInteger("available"))
          .as("nothing the stranger asked for happened").isEqualTo(3);
      assertThat(api.get("/emails?to=intruder@example.com").json().getJsonArray("emails")).isEmpty();
    }
  }

  private static String[] tls(TestCertificates.Files3 files) {
    return new String[] {"--event-bus-key-path", files.key().toString(), "--event-bus-cert-path", files.cert().toString(),
        "--event-bus-ca-path", files.ca().toString(), "--request-timeout", "PT3S"};
  }
}
