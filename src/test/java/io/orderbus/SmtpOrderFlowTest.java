package io.orderbus;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.Ports;
import io.orderbus.support.Scrape;
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
  private static final ServerSetup SETUP = new ServerSetup(Ports.free(), "127.0.0.1", "smtp");
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
    assertThat(asyncMail[0].getSubject()).isEqualTo("Your order " + id);
    assertThat(asyncMail[0].getFrom()[0].toString()).isEqualTo("shop@example.com");
    assertThat(smtp.getReceivedMessagesForDomain(syncCustomer)).hasSize(1);
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
      assertThat(sync.json().getString("message")).contains("SMTP server");

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
      smtp = new GreenMail(SETUP);
      smtp.start();
    }
    for (String id : ids) {
      Eventually.until(SETTLE, "order " + id + " emailed once the server is back",
          () -> "SENT".equals(api.get("/orders/" + id).json().getString("emailStatus")));
    }
    for (String customer : customers) {
      assertThat(smtp.getReceivedMessagesForDomain(customer)).as(customer).hasSize(1);
    }
  }

  private static double failedEmailHandling() {
    return new Scrape(api.get("/metrics").body()).sum("orderbus_delivery_handled_total", "group", "email", "outcome", "failed");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
