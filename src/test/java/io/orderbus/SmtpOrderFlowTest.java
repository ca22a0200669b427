package io.orderbus;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Api;
import io.orderbus.support.DeliveryCheck;
import io.orderbus.support.Eventually;
import io.orderbus.support.Scrape;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders whose email goes through a real SMTP server (GreenMail, on a free port): the email node runs
 * {@code mailer: smtp}. When the server is down, the sync path fails at once and the async path keeps
 * the emails until it is back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SmtpOrderFlowTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ServerSetup SETUP = SmtpServers.onFreePort();
  private static GreenMail smtp;
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    smtp = new GreenMail(SETUP);
    smtp.start();
    nodes = new TestNodes(2);
    api = new Api(vertx, nodes.start(0, "gateway,order,inventory").httpPort());
    // Default attempts and dead-letter age; retries close together so the test sees the server's return soon.
    nodes.start(1, "email", "mailer", "smtp", "smtpPort", SETUP.getPort(), "smtpFrom", "shop@example.com",
        "retryBackoffMax", "PT0.5S");
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
    smtp.stop();
  }

  @Test
  void bothPathsMailTheCustomerOnceThroughTheServer() throws Exception {
    String asyncCustomer = unique("async");
    String id = api.post("/orders", Api.order(asyncCustomer, "book", 1)).json().getString("id");
    Eventually.until(SETTLE, "async order emailed", () -> "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
    String syncCustomer = unique("sync");
    assertThat(api.post("/orders?mode=sync", Api.order(syncCustomer, "book", 1)).status()).isEqualTo(201);

    MimeMessage[] asyncMail = smtp.getReceivedMessagesForDomain(asyncCustomer);
    assertThat(asyncMail).hasSize(1);
    assertThat(asyncMail[0].getSubject()).as("sent with the reservation, so it promises no more than receipt")
        .isEqualTo("We received your order " + id);
    assertThat(asyncMail[0].getFrom()[0].toString()).isEqualTo("shop@example.com");
    MimeMessage[] syncMail = smtp.getReceivedMessagesForDomain(syncCustomer);
    assertThat(syncMail).hasSize(1);
    assertThat(syncMail[0].getSubject()).as("sent after the reservation").endsWith(" is confirmed");
    JsonObject listed = api.get("/emails?to=" + asyncCustomer).json().getJsonArray("emails").getJsonObject(0);
    assertThat(listed.getString("orderId")).isEqualTo(id);
    assertThat(listed.getString("node")).isEqualTo("node1");
  }

  @Test
  void withTheServerDownSyncFailsAndAsyncEmailsWaitForItsReturn() throws Exception {
    smtp.stop();
    List<String> customers = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    double failedBefore = failedEmailHandling();
    try {
      Response sync = api.post("/orders?mode=sync", Api.order(unique("sync-down"), "book", 1));
      assertThat(sync.status()).isEqualTo(503);
      assertThat(sync.json().getString("service")).isEqualTo("email");
      assertThat(sync.json().getString("message")).contains("SMTP server").doesNotContain("127.0.0.1")
          .doesNotContain("onnection refused");

      for (int i = 0; i < 3; i++) {
        String customer = unique("waiting-" + i);
        Response accepted = api.post("/orders", Api.order(customer, "book", 1));
        assertThat(accepted.status()).isEqualTo(202);
        customers.add(customer);
        ids.add(accepted.json().getString("id"));
      }
      Eventually.until(SETTLE, "sending tried and failed while the server is down",
          () -> failedEmailHandling() >= failedBefore + 3);
      for (String id : ids) {
        assertThat(api.get("/orders/" + id).json().getString("emailStatus")).isEqualTo("PENDING");
      }
    } finally {
      smtp = SmtpServers.restartOn(SETUP);
    }
    for (String id : ids) {
      Eventually.until(SETTLE, "order " + id + " emailed once the server is back",
          () -> "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
    }
    for (String customer : customers) {
      assertThat(smtp.getReceivedMessagesForDomain(customer)).as(customer).hasSize(1);
    }
  }

  @Test
  void anAsyncOrderThatCannotBeFulfilledGetsASecondMailSayingWhy() throws Exception {
    String sku = "scarce-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api.put("/inventory/" + sku, new JsonObject().put("available", 1)).status()).isEqualTo(200);
    // All at once, before inventory has announced the first reservation: the door lets them in, and inventory
    // rejects all but one.
    List<String> customers = new ArrayList<>();
    List<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String customer = unique("scarce-" + i);
      customers.add(customer);
      posts.add(api.client().post("/orders").sendJsonObject(Api.order(customer, sku, 1)));
    }
    io.vertx.core.Future.join(posts).await(30, TimeUnit.SECONDS);
    List<String> accepted = new ArrayList<>();
    List<String> acceptedCustomers = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      Response r = Api.toResponse(posts.get(i).result());
      assertThat(r.status()).as(r.body()).isIn(202, 409);
      if (r.status() == 202) {
        accepted.add(r.json().getString("id"));
        acceptedCustomers.add(customers.get(i));
      }
    }
    assertThat(accepted).as("accepted at the door").hasSizeGreaterThanOrEqualTo(2);
    for (String id : accepted) {
      Eventually.until(SETTLE, "order " + id + " settled", () -> {
        JsonObject o = api.get("/orders/" + id).json();
        return !"ACCEPTED".equals(o.getString("status")) && "SENT".equals(o.getString("emailStatus"));
      });
    }
    int confirmed = 0;
    for (int i = 0; i < accepted.size(); i++) {
      String id = accepted.get(i);
      String customer = acceptedCustomers.get(i);
      String status = api.get("/orders/" + id).json().getString("status");
      if (status.equals("CONFIRMED")) {
        confirmed++;
        assertThat(subjects(customer)).containsExactly("We received your order " + id);
        continue;
      }
      assertThat(status).isEqualTo("REJECTED");
      Eventually.until(SETTLE, "the second mail to " + customer, () -> subjects(customer).size() == 2);
      assertThat(subjects(customer)).containsExactlyInAnyOrder("We received your order " + id,
          "Your order " + id + " could not be fulfilled");
      MimeMessage why = java.util.Arrays.stream(smtp.getReceivedMessagesForDomain(customer))
          .filter(m -> subject(m).endsWith("could not be fulfilled")).findFirst().orElseThrow();
      assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(why)).contains("not enough stock of " + sku);
    }
    assertThat(confirmed).as("one unit of stock").isEqualTo(1);
    DeliveryCheck.awaitNothingPending(api, SETTLE);
    for (String customer : acceptedCustomers) {
      assertThat(smtp.getReceivedMessagesForDomain(customer).length).as("each mail once: " + customer).isLessThanOrEqualTo(2);
    }
  }

  /**
   * Addresses the gateway once let through (anything without a space or a second @ around a dot) that the
   * mail path cannot take. Each was an SMTP failure on the sync path, which the email circuit counts as an
   * outage: after circuitMaxFailures of them, every customer's sync order failed fast. Now each is a 400 at
   * the door, and a good order right after them is confirmed.
   */
  @Test
  void addressesTheMailPathCannotTakeAre400AtTheDoorAndNeverOpenTheEmailCircuit() {
    List<String> bad = List.of("a,b@example.com", "<ada>@example.com", "ada@example..com", "\"ada\"@example.com",
        "a(b)c@example.com", "ada;eve@example.com", "a\u0000b@example.com");
    for (String address : bad) {
      Response refused = api.post("/orders?mode=sync", Api.order(address, "book", 1));
      assertThat(refused.status()).as(address).isEqualTo(400);
      assertThat(refused.json().getString("error")).isEqualTo("INVALID_REQUEST");
      assertThat(refused.json().getString("message")).contains("customerEmail");
    }
    Response good = api.post("/orders?mode=sync", Api.order(unique("after-bad"), "book", 1));
    assertThat(good.status()).as(good.body()).isEqualTo(201);
  }

  /**
   * A mail server that refuses with words of its own (host names, versions): the client is told the email
   * service could not hand the mail over, and neither the answer nor the stored order repeats the server.
   */
  @Test
  void aSyncFailureNeverRepeatsTheMailServersOwnWords(Vertx vertx) throws Exception {
    String secret = "mx7.internal.example build 9.1.4-secret";
    smtp.stop();
    io.vertx.core.net.NetServer refusing = vertx.createNetServer()
        .connectHandler(socket -> socket.write("554 5.3.2 " + secret + " refuses service\r\n"));
    refusing.listen(SETUP.getPort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    Response failed;
    try {
      failed = api.post("/orders?mode=sync", Api.order(unique("refused"), "book", 1));
    } finally {
      refusing.close().await(10, TimeUnit.SECONDS);
      smtp = SmtpServers.restartOn(SETUP);
    }
    assertThat(failed.status()).as(failed.body()).isEqualTo(503);
    assertThat(failed.json().getString("service")).isEqualTo("email");
    assertThat(failed.body()).doesNotContain("mx7").doesNotContain("9.1.4").doesNotContain("554");
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("order ([0-9a-f-]{36})").matcher(failed.body());
    assertThat(id.find()).as("the failure names its order: %s", failed.body()).isTrue();
    Response order = api.get("/orders/" + id.group(1));
    assertThat(order.json().getString("status")).isEqualTo("FAILED");
    assertThat(order.body()).doesNotContain("mx7").doesNotContain("9.1.4");
  }

  private static List<String> subjects(String customer) {
    return java.util.Arrays.stream(smtp.getReceivedMessagesForDomain(customer)).map(SmtpOrderFlowTest::subject).toList();
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double failedEmailHandling() {
    return new Scrape(api.get("/metrics").body()).sum("orderbus_delivery_handled_total", "group", "email", "outcome", "failed");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
