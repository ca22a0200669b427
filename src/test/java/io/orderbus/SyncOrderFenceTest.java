package io.orderbus;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.SmtpGate;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync order whose confirmation is still on its way when the order service stops waiting for it: the
 * email goes through a real SMTP server (GreenMail) behind a gate that holds the connection. Whether the
 * mail then arrives or not, the order ends as the mail did: CONFIRMED with one mail, or FAILED with its
 * stock back and no mail, ever. Before the email fence, a FAILED order got its confirmation late. A mail
 * the server may have taken (its session broke off without an answer) is sent again and confirms the order:
 * before that, a chaos run's SMTP outage left a FAILED order whose confirmation the server had.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SyncOrderFenceTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ServerSetup SETUP = SmtpServers.onFreePort();
  private static GreenMail smtp;
  private static SmtpGate gate;
  private static TestNodes nodes;
  private static Api api;
  private String sku;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    smtp = new GreenMail(SETUP);
    smtp.start();
    gate = SmtpGate.start(vertx, SETUP.getPort());
    nodes = new TestNodes(2);
    // The email times out while the gate holds it: the SMTP client would wait 20 s. Long enough for the
    // mailer to claim the email and reach the gate first, even on a loaded machine.
    api = new Api(vertx, nodes.start(0, "gateway,order,inventory", "requestTimeout", "PT3S").httpPort());
    nodes.start(1, "email", "requestTimeout", "PT3S", "mailer", "smtp", "smtpPort", gate.port(),
        "smtpFrom", "shop@example.com");
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
    gate.close();
    smtp.stop();
  }

  @BeforeEach
  void stock() {
    sku = "fence-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 10)).status()).isEqualTo(200);
  }

  @Test
  void aConfirmationThatTimesOutButArrivesLateConfirmsTheOrder() {
    String customer = unique("late");
    gate.hold();
    Response answer;
    try {
      answer = placeWhileTheMailWaits(Api.order(customer, sku, 2));
    } finally {
      gate.open();
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(504);
    assertThat(answer.json().getString("message")).contains("not known yet");
    String id = orderIn(answer);

    Eventually.until(SETTLE, "order " + id + " settled", () -> !"ACCEPTED".equals(status(id)));
    // Had the SMTP client given up first (its 20 s idle timeout, on a starved machine), nobody could tell
    // whether the server got the mail: it would be sent again, with the same outcome.
    JsonObject order = api.get("/orders/" + id).json();
    assertThat(order.getString("status")).as("the customer was told it is confirmed: %s", order.encode()).isEqualTo("CONFIRMED");
    assertThat(order.getString("emailStatus")).isEqualTo("SENT");
    assertThat(smtp.getReceivedMessagesForDomain(customer)).hasSize(1);
    assertThat(available()).as("the stock stays with the confirmed order").isEqualTo(8);
  }

  @Test
  void aConfirmationTheServerRefusesFailsTheOrderAndGivesItsStockBack() {
    String customer = unique("refused");
    gate.hold();
    Response answer;
    try {
      answer = placeWhileTheMailWaits(Api.order(customer, sku, 2));
      gate.refuseHeld();
    } finally {
      gate.open();
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(504);
    String id = orderIn(answer);

    Eventually.until(SETTLE, "order " + id + " settled with its stock back",
        () -> "FAILED".equals(status(id)) && available() == 10);
    assertThat(api.get("/orders/" + id).json().getString("emailStatus")).isEqualTo("FAILED");
    assertThat(smtp.getReceivedMessagesForDomain(customer)).as("a failed order is never confirmed").isEmpty();
  }

  @Test
  void aConfirmationWhoseConnectionIsCutMayHaveGoneOutSoItIsSentAgainAndConfirmsTheOrder() {
    String customer = unique("cut");
    gate.hold();
    Response answer;
    try {
      answer = placeWhileTheMailWaits(Api.order(customer, sku, 2));
      gate.cutHeld();
    } finally {
      gate.open();
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(504);
    String id = orderIn(answer);

    Eventually.until(SETTLE, "order " + id + " settled", () -> !"ACCEPTED".equals(status(id)));
    JsonObject order = api.get("/orders/" + id).json();
    assertThat(order.getString("status")).as(order.encode()).isEqualTo("CONFIRMED");
    assertThat(smtp.getReceivedMessagesForDomain(customer)).as("cut before the server greeted it: sent once").hasSize(1);
    assertThat(available()).isEqualTo(8);
  }

  @Test
  void aConfirmationTheServerTookButWhoseAnswerWasLostConfirmsTheOrder() throws Exception {
    String customer = unique("taken");
    gate.loseRepliesToData();
    Response answer;
    try {
      answer = Api.toResponse(api.client().post("/orders?mode=sync").sendJsonObject(Api.order(customer, sku, 2))
          .await(30, TimeUnit.SECONDS));
    } finally {
      gate.open();
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
    assertThat(answer.json().getString("message")).contains("not known yet");
    String id = orderIn(answer);

    Eventually.until(SETTLE, "order " + id + " settled", () -> !"ACCEPTED".equals(status(id)));
    JsonObject order = api.get("/orders/" + id).json();
    assertThat(order.getString("status")).as("the server has its confirmation: %s", order.encode()).isEqualTo("CONFIRMED");
    assertThat(order.getString("emailStatus")).isEqualTo("SENT");
    var received = smtp.getReceivedMessagesForDomain(customer);
    assertThat(received.length).as("the lost answer's mail, and at least one sent again").isGreaterThanOrEqualTo(2);
    for (var copy : received) {
      assertThat(copy.getMessageID()).as("every copy is one message").isEqualTo(received[0].getMessageID());
    }
    assertThat(available()).isEqualTo(8);
  }

  /** Places a sync order and answers its response, which comes while its confirmation waits at the gate. */
  private static Response placeWhileTheMailWaits(JsonObject order) {
    var response = api.client().post("/orders?mode=sync").sendJsonObject(order);
    Eventually.until(SETTLE, "the confirmation on its way", () -> gate.held() == 1);
    try {
      return Api.toResponse(response.await(30, TimeUnit.SECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  /** The 504 names the order it leaves to be settled, and where to look. */
  private static String orderIn(Response answer) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("GET /orders/([0-9a-f-]{36})").matcher(answer.json().getString("message"));
    assertThat(m.find()).as(answer.body()).isTrue();
    return m.group(1);
  }

  private String status(String id) {
    return api.get("/orders/" + id).json().getString("status");
  }

  private int available() {
    return api.get("/inventory/" + sku).json().getInteger("available");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
