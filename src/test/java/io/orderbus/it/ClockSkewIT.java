package io.orderbus.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.DeliveryCheck;
import io.orderbus.support.Eventually;
import io.orderbus.support.Mails;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.Scrape;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose clock is 10 s ahead ({@code clockSkew}, in a JVM of its own) is the only order node: it
 * publishes every {@code OrderCreated} and, while the SMTP server is down, schedules every email's retry. It is
 * SIGKILLed with the SMTP server just back: the nodes that adopt its entries must send them at once, not
 * 10 s later when their own clocks reach the retry times it stamped (the failover bound of {@code MemberKillIT},
 * 5 s from the cluster dropping it). Every order still ends with exactly one mail at the SMTP server, each
 * group handles each event once, and nothing is dead-lettered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClockSkewIT {
  private static final int ORDERS = 20;
  private static final String SKEW = "PT10S";
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final long FAILOVER_BOUND_MS = 5000;
  private static final String ADMIN_TOKEN = UUID.randomUUID().toString();

  @Test
  void aNodeTenSecondsAheadNeitherDoublesDeliveriesNorDelaysFailover(Vertx vertx) throws Exception {
    // The SMTP server's port is chosen now and nothing listens on it yet: every email attempt fails.
    ServerSetup setup = SmtpServers.onFreePort();
    GreenMail smtp = null;
    try (ProcessNodes cluster = new ProcessNodes(4)) {
      // Short retries on every node (each node schedules the retries of the entries it holds), so that the
      // skewed node keeps stamping fresh retry times until it dies.
      String[] common = {"--retry-backoff-max", "PT1S", "--admin-token", ADMIN_TOKEN};
      NodeProcess gateway = cluster.launch(0, "gateway,inventory", common);
      NodeProcess skewed = cluster.launch(1, "order", ProcessNodes.flags(common, "--clock-skew", SKEW));
      NodeProcess email = cluster.launch(2, "email", ProcessNodes.flags(common, "--mailer", "smtp",
          "--smtp-port", String.valueOf(setup.getPort()), "--smtp-from", "shop@example.com"));
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT), ADMIN_TOKEN);
      skewed.awaitReady(ProcessNodes.READY_TIMEOUT);
      email.awaitReady(ProcessNodes.READY_TIMEOUT);
      assertThat(skewed.output()).as("the skewed node says its clock is off").anyMatch(l -> l.contains("clockSkew applied"));

      String run = UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> customers = new LinkedHashMap<>();
      for (int i = 0; i < ORDERS; i++) {
        String customer = "skew-" + run + "-" + i + "@example.com";
        Response r = api.post("/orders", Api.order(customer, "pen", 1));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        customers.put(r.json().getString("id"), customer);
      }
      for (String id : customers.keySet()) {
        Eventually.until(SETTLE, "order " + id + " confirmed by the skewed order node", () ->
            "CONFIRMED".equals(api.get("/orders/" + id).json().getString("status")));
      }
      Eventually.until(SETTLE, "every email tried a few times while SMTP is down",
          () -> emailHandled(new Scrape(api.get("/metrics").body()), "failed") >= 3 * ORDERS);
      // The order group's other member, so that EmailSent is handled once the skewed node is gone.
      NodeProcess survivor = cluster.start(3, "order", common);

      skewed.kill();
      smtp = new GreenMail(setup);
      smtp.start();
      GreenMail server = smtp;
      long detectedAt = Eventually.await(Duration.ofSeconds(30), "the skewed node gone from the cluster", () ->
          api.get("/cluster").json().getJsonArray("nodes").stream()
              .noneMatch(n -> ((JsonObject) n).getString("name").equals(skewed.name())) ? System.nanoTime() : null);
      long mailedAt = Eventually.await(SETTLE, ORDERS + " mails at the SMTP server",
          () -> server.getReceivedMessages().length >= ORDERS ? System.nanoTime() : null);
      long afterDetectionMs = TimeUnit.NANOSECONDS.toMillis(mailedAt - detectedAt);
      System.out.println("clock skew: the " + ORDERS + " emails of a node " + SKEW + " ahead, adopted and mailed "
          + afterDetectionMs + " ms after its loss was seen");

      for (String id : customers.keySet()) {
        Eventually.until(SETTLE, "order " + id + " emailed", () ->
            "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
      }
      DeliveryCheck.awaitNothingPending(api, SETTLE);
      Map<String, Integer> mailsPerOrder = new TreeMap<>();
      List<String> strangers = new ArrayList<>();
      for (MimeMessage mail : server.getReceivedMessages()) {
        String subject = mail.getSubject();
        String received = "We received your order ";
        String id = subject != null && subject.startsWith(received) ? subject.substring(received.length()) : null;
        if (id != null && customers.containsKey(id) && Mails.recipients(mail).equals(List.of(customers.get(id)))) {
          mailsPerOrder.merge(id, 1, Integer::sum);
        } else {
          strangers.add("'" + subject + "' to " + Mails.recipients(mail));
        }
      }
      Scrape metrics = new Scrape(api.get("/metrics").body());

      JsonArray deadLetters = DeliveryCheck.deadLetters(api);
      SoftAssertions.assertSoftly(soft -> {
        soft.assertThat(afterDetectionMs).as("ms from the skewed node's loss seen to every adopted email at the server")
            .isLessThanOrEqualTo(FAILOVER_BOUND_MS);
        soft.assertThat(mailsPerOrder).as("mails per order at the SMTP server").hasSize(ORDERS)
            .allSatisfy((id, n) -> assertThat(n).as("mails for order %s", id).isEqualTo(1));
        soft.assertThat(strangers).as("mails that belong to no order").isEmpty();
        // Each event handled once: the inventory and email members (alive throughout) succeeded once per order.
        soft.assertThat(emailHandled(metrics, "ok")).as("OrderCreated handled by the email group").isEqualTo(ORDERS);
        soft.assertThat(metrics.sum("orderbus_delivery_handled_total", "group", "inventory", "outcome", "ok"))
            .as("OrderCreated handled by the inventory group").isEqualTo(ORDERS);
        soft.assertThat(metrics.sum("orderbus_delivery_redelivered_total", "group", "email"))
            .as("email entries adopted from the skewed node").isGreaterThanOrEqualTo(ORDERS);
        soft.assertThat(deadLetters).as("dead letters").isEmpty();
        soft.assertThat(survivor.isAlive()).as("the other order node alive").isTrue();
      });
    } finally {
      if (smtp != null) {
        smtp.stop();
      }
    }
  }

  private static double emailHandled(Scrape metrics, String outcome) {
    return metrics.sum("orderbus_delivery_handled_total", "group", "email", "outcome", outcome);
  }
}
