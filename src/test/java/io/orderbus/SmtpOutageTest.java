package io.orderbus;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.Api;
import io.orderbus.support.DeliveryCheck;
import io.orderbus.support.Eventually;
import io.orderbus.support.Mails;
import io.orderbus.support.OrderStream.Placed;
import io.orderbus.support.OrderStream;
import io.orderbus.support.Scrape;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SMTP server down for two minutes under a steady stream of async orders costs nothing: with the default
 * delivery settings (only the longest backoff lowered, so the backlog drains quickly), every accepted order
 * is mailed exactly once, counted at the SMTP server itself (GreenMail, stopped and started again on the
 * same port), every order ends with its email SENT, and nothing is dead-lettered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SmtpOutageTest {
  private static final Duration OUTAGE = Duration.ofMinutes(2);
  private static final int ORDERS_PER_SECOND = 5;
  /** Mails the server must have taken before it is stopped, and again after it is back. */
  private static final int MAILS_TO_SEE = 10;
  private static final Duration SETTLE = Duration.ofSeconds(60);
  /** After the outage: long enough for every delayed retry (at most retryBackoffMax apart) and the backlog. */
  private static final Duration DRAIN = Duration.ofMinutes(2);
  private static final String RETRY_BACKOFF_MAX = "PT5S";
  private static final String ADMIN_TOKEN = UUID.randomUUID().toString();
  private static final ServerSetup SETUP = SmtpServers.onFreePort();
  private static final String SKU = "outage-" + UUID.randomUUID().toString().substring(0, 8);

  private static GreenMail smtp;
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    smtp = new GreenMail(SETUP);
    smtp.start();
    nodes = new TestNodes(2);
    // Default delivery settings (maxAttempts, retryBackoff, ...) except the longest backoff, on every node:
    // retries are scheduled by whichever node owns the pending entry.
    api = new Api(vertx, nodes.start(0, "gateway,order,inventory", "adminToken", ADMIN_TOKEN,
        "retryBackoffMax", RETRY_BACKOFF_MAX).httpPort(), ADMIN_TOKEN);
    nodes.start(1, "email", "mailer", "smtp", "smtpPort", SETUP.getPort(), "smtpFrom", "shop@example.com",
        "retryBackoffMax", RETRY_BACKOFF_MAX);
    // Stock for every order of the run: the outcome of the reservation is not what this test is about.
    assertThat(api.put("/inventory/" + SKU, new JsonObject().put("available", 1_000_000)).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  @Test
  void aTwoMinuteSmtpOutageCostsNoEmail() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<MimeMessage> mailed = new ArrayList<>();
    int beforeOutage;
    List<Placed> placed;
    OrderStream stream = new OrderStream(api, ORDERS_PER_SECOND,
        i -> Api.order("outage-" + run + "-" + i + "@example.com", SKU, 1));
    try {
      Eventually.until(SETTLE, MAILS_TO_SEE + " orders mailed before the outage",
          () -> smtp.getReceivedMessages().length >= MAILS_TO_SEE);

      double failedBefore = failedEmailHandling();
      // GreenMail forgets its mail on stop(): keep its store, whose content is final once the server is down.
      Managers beforeStop = smtp.getManagers();
      smtp.stop();
      assertThat(accepts(SETUP.getPort())).as("the SMTP port answers while the server is stopped").isFalse();
      beforeStop.getImapHostManager().getAllMessages().stream().map(StoredMessage::getMimeMessage).forEach(mailed::add);
      beforeOutage = mailed.size();
      int acceptedAtStop = stream.accepted();

      Thread.sleep(OUTAGE.dividedBy(2).toMillis()); // the outage itself, not a wait for readiness
      int acceptedHalfway = stream.accepted();
      Thread.sleep(OUTAGE.dividedBy(2).toMillis());
      double failedDuringOutage = failedEmailHandling() - failedBefore;

      smtp = SmtpServers.restartOn(SETUP);
      assertThat(smtp.getSmtp().getPort()).as("the SMTP server is back on the same port").isEqualTo(SETUP.getPort());
      // The outage must have bitten: every order of its first half had its email tried, and failed, at least once.
      assertThat(acceptedHalfway - acceptedAtStop).as("orders accepted in the first half of the outage").isPositive();
      assertThat(failedDuringOutage).as("failed email handling during the outage")
          .isGreaterThanOrEqualTo(acceptedHalfway - acceptedAtStop);

      GreenMail back = smtp;
      Eventually.until(SETTLE, MAILS_TO_SEE + " orders mailed after the outage",
          () -> back.getReceivedMessages().length >= MAILS_TO_SEE);
    } finally {
      placed = stream.stop();
    }

    DeliveryCheck.awaitNothingPending(api, DRAIN);
    mailed.addAll(Arrays.asList(smtp.getReceivedMessages()));

    Map<String, Placed> accepted = new LinkedHashMap<>();
    placed.stream().filter(Placed::accepted).forEach(p -> accepted.put(p.id(), p));
    List<Placed> refused = placed.stream().filter(p -> !p.accepted()).toList();
    Map<String, Integer> mailsPerOrder = new TreeMap<>();
    List<String> strangers = new ArrayList<>();
    for (MimeMessage mail : mailed) {
      String subject = mail.getSubject();
      String received = "We received your order ";
      String id = subject != null && subject.startsWith(received) ? subject.substring(received.length()) : null;
      Placed order = accepted.get(id);
      if (order != null && Mails.recipients(mail).equals(List.of(order.customer()))) {
        mailsPerOrder.merge(id, 1, Integer::sum);
      } else {
        strangers.add("'" + subject + "' to " + Mails.recipients(mail));
      }
    }
    List<String> neverMailed = accepted.keySet().stream().filter(id -> !mailsPerOrder.containsKey(id)).toList();
    Map<String, Integer> mailedTwice = new TreeMap<>(mailsPerOrder);
    mailedTwice.values().removeIf(n -> n == 1);
    Map<String, String> notSent = new LinkedHashMap<>();
    for (String id : accepted.keySet()) {
      String status = api.get("/orders/" + id).json().getString("emailStatus");
      if (!"SENT".equals(status)) {
        notSent.put(id, status);
      }
    }
    JsonArray deadLetters = DeliveryCheck.deadLetters(api);
    Scrape metrics = new Scrape(api.get("/metrics").body());

    System.out.println("smtp outage of " + OUTAGE + ": " + placed.size() + " orders placed, " + accepted.size()
        + " accepted, " + mailed.size() + " mails at the server (" + beforeOutage + " before the outage), "
        + neverMailed.size() + " orders never mailed, " + mailedTwice.size() + " mailed twice, " + notSent.size()
        + " not SENT, " + deadLetters.size() + " dead letters");
    SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(refused).as("orders not accepted with 202 (of %d placed)", placed.size()).isEmpty();
      soft.assertThat(neverMailed.size())
          .as("accepted orders (of %d) the SMTP server never received a mail for, e.g. %s",
              accepted.size(), first(neverMailed)).isZero();
      soft.assertThat(mailedTwice).as("orders the SMTP server received more than one mail for").isEmpty();
      soft.assertThat(strangers).as("mails that belong to no accepted order").isEmpty();
      soft.assertThat(notSent.size()).as("accepted orders (of %d) whose emailStatus is not SENT, e.g. %s",
          accepted.size(), first(notSent.entrySet())).isZero();
      soft.assertThat(deadLetters.size()).as("dead letters, e.g. %s",
          deadLetters.isEmpty() ? "-" : DeliveryCheck.describe(deadLetters.getJsonObject(0))).isZero();
      soft.assertThat(metrics.values("orderbus_delivery_dead_lettered_total", "group")).as("dead-letter counter exposed")
          .contains("email");
      soft.assertThat(metrics.sum("orderbus_delivery_dead_lettered_total")).as("orderbus_delivery_dead_lettered_total")
          .isZero();
    });
  }

  private static double failedEmailHandling() {
    return new Scrape(api.get("/metrics").body())
        .sum("orderbus_delivery_handled_total", "group", "email", "outcome", "failed");
  }

  private static boolean accepts(int port) {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static <T> List<T> first(Collection<T> items) {
    return items.stream().limit(3).toList();
  }
}
