package io.orderbus.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.DeliveryCheck;
import io.orderbus.support.Eventually;
import io.orderbus.support.Mails;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.Scrape;
import io.orderbus.support.SmtpServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
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
 * An email node paused (SIGSTOP) past the failure detector while mails wait for the SMTP server, which comes
 * back just before the node resumes. The others drop the paused node and its work goes to the other email
 * node; the paused one, on resuming, finds the batches sent to it before the pause and, for its first moments,
 * still takes itself for a member with its old view of the data. Without a fence it claimed and sent mails the
 * other node had just sent (seen in a chaos run: 11 mails twice, each within a second of a resume). Every
 * order still gets exactly one mail at the SMTP server.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class PausedEmailNodeIT {
  private static final int ORDERS = 60;
  private static final Duration PAUSE = Duration.ofSeconds(8);
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final String ADMIN_TOKEN = UUID.randomUUID().toString();

  @Test
  void anEmailNodeBackFromAPauseSendsNothingTheOtherSent(Vertx vertx) throws Exception {
    // Nothing listens on the SMTP port yet: every mail waits, retried every second at most.
    ServerSetup setup = SmtpServers.onFreePort();
    GreenMail smtp = null;
    try (ProcessNodes cluster = new ProcessNodes(4)) {
      String[] common = {"--min-cluster-size", "3", "--retry-backoff-max", "PT1S", "--admin-token", ADMIN_TOKEN};
      String[] mailer = {"--mailer", "smtp", "--smtp-port", String.valueOf(setup.getPort()), "--smtp-from", "shop@example.com"};
      NodeProcess gateway = cluster.launch(0, "gateway,order", common);
      NodeProcess inventory = cluster.launch(1, "inventory", common);
      NodeProcess paused = cluster.launch(2, "email", ProcessNodes.flags(common, mailer));
      NodeProcess other = cluster.launch(3, "email", ProcessNodes.flags(common, mailer));
      Api api = new Api(vertx, gateway.awaitReady(ProcessNodes.READY_TIMEOUT), ADMIN_TOKEN);
      for (NodeProcess p : List.of(inventory, paused, other)) {
        p.awaitReady(ProcessNodes.READY_TIMEOUT);
      }

      String run = UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> customers = new LinkedHashMap<>();
      for (int i = 0; i < ORDERS; i++) {
        String customer = "paused-mail-" + run + "-" + i + "@example.com";
        Response r = api.post("/orders", Api.order(customer, "pen", 1));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        customers.put(r.json().getString("id"), customer);
      }
      Eventually.until(SETTLE, "every mail tried on both email nodes while SMTP is down", () -> {
        Scrape metrics = new Scrape(api.get("/metrics").body());
        return failedOn(metrics, paused.name()) >= ORDERS && failedOn(metrics, other.name()) >= ORDERS;
      });

      paused.pause();
      long pausedAt = System.nanoTime();
      // The server back while the node is still paused and already dropped (the failure detector gives up after
      // 5 s): the other email node sends, and the paused one resumes with mail it was handed before the pause.
      sleepUntil(pausedAt + TimeUnit.MILLISECONDS.toNanos(6_500));
      smtp = new GreenMail(setup);
      smtp.start();
      sleepUntil(pausedAt + PAUSE.toNanos());
      paused.resume();

      GreenMail server = smtp;
      Eventually.until(SETTLE, ORDERS + " mails at the SMTP server", () -> server.getReceivedMessages().length >= ORDERS);
      for (String id : customers.keySet()) {
        Eventually.until(SETTLE, "order " + id + " emailed", () ->
            "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
      }
      DeliveryCheck.awaitNothingPending(api, SETTLE);
      Map<String, Integer> mailsPerCustomer = new TreeMap<>();
      List<String> copies = new ArrayList<>();
      for (MimeMessage mail : server.getReceivedMessages()) {
        String to = String.join(",", Mails.recipients(mail));
        mailsPerCustomer.merge(to, 1, Integer::sum);
        copies.add(to + " from " + mail.getHeader(io.orderbus.email.SmtpMailer.SENT_BY_HEADER, null));
      }
      // The paused node was dropped and found itself cut off. When the others send every mail quickly, this
      // point comes a second or so after the resume, before its split-brain protection has caught up: wait.
      paused.awaitLine("cut off from the cluster's majority", Duration.ofSeconds(30));
      boolean fenced = paused.output().stream().anyMatch(l -> l.contains("stood still for"));
      System.out.println("paused email node: " + server.getReceivedMessages().length + " mails for " + ORDERS
          + " orders; the paused node noticed its pause: " + fenced);
      assertThat(mailsPerCustomer).as("mails per customer at the SMTP server: %s", copies).hasSize(ORDERS)
          .allSatisfy((to, n) -> assertThat(n).as("mails to %s", to).isEqualTo(1));
      assertThat(customers.values()).allMatch(mailsPerCustomer::containsKey);
      assertThat(DeliveryCheck.deadLetters(api)).as("dead letters").isEmpty();
    } finally {
      if (smtp != null) {
        smtp.stop();
      }
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanoTime - System.nanoTime())));
  }

  private static double failedOn(Scrape metrics, String node) {
    return metrics.sum("orderbus_delivery_handled_total", "group", "email", "outcome", "failed", "node", node);
  }
}
