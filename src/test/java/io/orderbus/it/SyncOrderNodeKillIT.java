package io.orderbus.it;

import com.icegreen.greenmail.util.GreenMail;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.SmtpGate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node placing a sync order is SIGKILLed after the stock is reserved, while the confirmation is on its
 * way to a real SMTP server (GreenMail behind a gate that holds the connection). The client does what a
 * careful client does: retries with the same Idempotency-Key on another gateway, which answers
 * REQUEST_IN_PROGRESS until the order is settled, then the outcome. (The killed gateway may have handed the
 * order to either order node; the retry's answers differ in detail, the outcome does not.) The order ends as its mail did: the
 * mail refused by the server, FAILED with its stock back and no mail; the mail let through, CONFIRMED with one mail.
 * Before the sync path had a durable guard, such an order stayed ACCEPTED with its stock, forever.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SyncOrderNodeKillIT {
  /** The promise: every sync order settled within 30 s of the services being up. */
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Pattern ORDER_IN_MESSAGE = Pattern.compile("order ([0-9a-f-]{36})");

  @Test
  void aSyncOrderWhosePlacingNodeDiesMidEmailEndsAsItsMailDid(Vertx vertx) throws Exception {
    GreenMail smtp = new GreenMail(SmtpServers.onFreePort());
    smtp.start();
    try (SmtpGate gate = SmtpGate.start(vertx, smtp.getSmtp().getPort()); ProcessNodes cluster = new ProcessNodes(4)) {
      NodeProcess placer = cluster.launch(0, "gateway,order");
      NodeProcess survivor = cluster.launch(1, "gateway,order");
      List<NodeProcess> services = List.of(cluster.launch(2, "inventory"), cluster.launch(3, "email", "--mailer", "smtp",
          "--smtp-port", String.valueOf(gate.port()), "--smtp-from", "shop@example.com"));
      Api placerApi = new Api(vertx, placer.awaitReady(ProcessNodes.READY_TIMEOUT));
      Api api = new Api(vertx, survivor.awaitReady(ProcessNodes.READY_TIMEOUT));
      for (NodeProcess p : services) {
        p.awaitReady(ProcessNodes.READY_TIMEOUT);
      }
      String sku = "kill-" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 10)).status()).isEqualTo(200);

      // 1. The server refuses the mail: the order fails and gives its stock back. (A connection merely cut
      // could have cut the server's answer to a mail it took: that mail is sent again, see SyncOrderFenceTest.)
      String lostCustomer = unique("lost");
      String lostKey = UUID.randomUUID().toString();
      gate.hold();
      placeAndKill(placerApi, placer, gate, lostKey, Api.order(lostCustomer, sku, 3));
      gate.refuseHeld();
      gate.open();
      Settled lost = retryUntilSettled(api, lostKey, Api.order(lostCustomer, sku, 3));
      assertThat(lost.answer().status()).as(lost.answer().body()).isEqualTo(503);
      // ORDER_FAILED if the killed node was placing it; if the other order node was (the killed gateway asked
      // it), that node saw the send fail and answered the key with the email failure, which is repeated.
      assertThat(lost.answer().json().getString("error")).isIn("ORDER_FAILED", "SERVICE_UNAVAILABLE");
      JsonObject lostOrder = api.get("/orders/" + lost.orderId()).json();
      assertThat(lostOrder.getString("status")).isEqualTo("FAILED");
      Eventually.until(SETTLE, "the failed order's stock back", () -> available(api, sku) == 10);
      assertThat(smtp.getReceivedMessagesForDomain(lostCustomer)).as("a failed order is never confirmed").isEmpty();

      // 2. The mail arrives after the node died: the order is confirmed, once.
      placer = cluster.start(0, "gateway,order");
      placerApi = new Api(vertx, placer.awaitReady(ProcessNodes.READY_TIMEOUT));
      String lateCustomer = unique("late");
      String lateKey = UUID.randomUUID().toString();
      gate.hold();
      placeAndKill(placerApi, placer, gate, lateKey, Api.order(lateCustomer, sku, 2));
      gate.open();
      Settled late = retryUntilSettled(api, lateKey, Api.order(lateCustomer, sku, 2));
      assertThat(late.answer().status()).as(late.answer().body()).isEqualTo(201);
      assertThat(late.answer().json().getString("status")).isEqualTo("CONFIRMED");
      assertThat(late.answer().json().getString("emailStatus")).isEqualTo("SENT");
      assertThat(smtp.getReceivedMessagesForDomain(lateCustomer)).hasSize(1);
      assertThat(available(api, sku)).as("the confirmed order keeps its stock").isEqualTo(8);
      assertThat(reached(api, lateKey, Api.order(lateCustomer, sku, 2)).status()).as("and says so again").isEqualTo(201);
    } finally {
      smtp.stop();
    }
  }

  private record Settled(String orderId, Response answer) {
  }

  /** Sends the sync order and kills its node once the confirmation waits at the gate. */
  private static void placeAndKill(Api placerApi, NodeProcess placer, SmtpGate gate, String key, JsonObject order)
      throws InterruptedException {
    placerApi.client().post("/orders?mode=sync").putHeader("Idempotency-Key", key).sendJsonObject(order);
    Eventually.until(Duration.ofSeconds(30), "the confirmation on its way", () -> gate.held() == 1);
    placer.kill();
  }

  /** Retries as a client would until the answer is an outcome, not REQUEST_IN_PROGRESS or the order service out of reach. */
  private static Settled retryUntilSettled(Api api, String key, JsonObject order) {
    long killedAt = System.nanoTime();
    String[] orderId = new String[1];
    Response answer = Eventually.await(SETTLE.plusSeconds(15), "the order settled", () -> {
      Response r = withKey(api, key, order);
      if (r.status() == 409 && "REQUEST_IN_PROGRESS".equals(r.json().getString("error"))) {
        Matcher m = ORDER_IN_MESSAGE.matcher(r.json().getString("message"));
        if (m.find()) {
          orderId[0] = m.group(1);
        }
        return null;
      }
      return unreached(r) ? null : r;
    });
    long settledAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("sync order settled " + settledAfterMs + " ms after its node was killed: " + answer.status());
    assertThat(settledAfterMs).as("ms from the kill to the settled answer").isLessThanOrEqualTo(SETTLE.toMillis());
    String id = answer.json().containsKey("id") ? answer.json().getString("id") : orderId[0];
    if (id == null) {
      Matcher m = ORDER_IN_MESSAGE.matcher(answer.json().getString("message"));
      assertThat(m.find()).as("the answer names the order: " + answer.body()).isTrue();
      id = m.group(1);
    }
    return new Settled(id, answer);
  }

  /** The answer to the order once the gateway reached an order service. */
  private static Response reached(Api api, String key, JsonObject order) {
    return Eventually.await(SETTLE, "an order service reached", () -> {
      Response r = withKey(api, key, order);
      return unreached(r) ? null : r;
    });
  }

  /**
   * Until the cluster has seen the killed node go (seconds), the gateway may still send to it and fail to reach it
   * (a CI run, 2026-11-27: a repeat 0.4 s after the kill timed out, 504): a client asks again.
   */
  private static boolean unreached(Response r) {
    return r.status() >= 500 && "order".equals(r.json().getString("service"));
  }

  private static Response withKey(Api api, String key, JsonObject order) {
    return api.send(api.client().post("/orders?mode=sync").putHeader("Idempotency-Key", key), "application/json",
        order.toBuffer());
  }

  private static int available(Api api, String sku) {
    return api.get("/inventory/" + sku).json().getInteger("available");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
