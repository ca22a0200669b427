package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Ports;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SMTP mailer against a real SMTP server (GreenMail) on a free port, recording in a standalone Hazelcast member. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmtpMailerTest {
  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(SmtpServers.onFreePort());

  private static TestNodes nodes;
  private static HazelcastInstance hazelcast;

  @BeforeAll
  static void start() {
    nodes = new TestNodes(1);
    hazelcast = nodes.hazelcast(0);
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.close();
  }

  @Test
  void sendsThroughTheServerOnceHoweverOftenItIsAsked(Vertx vertx) throws Exception {
    Mailer mailer = mailer(vertx, "node-a", SMTP.getSmtp().getPort());
    SendEmail email = email();

    SentEmail first = mailer.send(email).await(20, TimeUnit.SECONDS);
    SentEmail again = mailer.send(email).await(20, TimeUnit.SECONDS);
    SentEmail fromAnother = mailer(vertx, "node-b", SMTP.getSmtp().getPort()).send(email).await(20, TimeUnit.SECONDS);

    MimeMessage[] received = SMTP.getReceivedMessagesForDomain(email.to());
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject()).isEqualTo(email.subject());
    assertThat(received[0].getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo(email.to());
    assertThat(received[0].getFrom()[0].toString()).isEqualTo("orderbus@example.com");
    assertThat(((String) received[0].getContent()).replace("\r\n", "\n").strip()).isEqualTo(email.body().strip());
    assertThat(again).isEqualTo(first);
    assertThat(fromAnother).isEqualTo(first);
    assertThat(mailer.sent(email.to()).await(20, TimeUnit.SECONDS)).containsExactly(first);
  }

  @Test
  void aMailSentAgainIsTheSameMessageAndNamesItsSender(Vertx vertx) throws Exception {
    SendEmail email = email();
    mailer(vertx, "node-a", SMTP.getSmtp().getPort()).send(email).await(20, TimeUnit.SECONDS);
    // The record lost (a node that died after the server took the mail): another node sends it again.
    hazelcast.getMap(EmailContract.SENT_MAP).clear();
    mailer(vertx, "node-b", SMTP.getSmtp().getPort()).send(email).await(20, TimeUnit.SECONDS);
    SendEmail other = email();
    mailer(vertx, "node-a", SMTP.getSmtp().getPort()).send(other).await(20, TimeUnit.SECONDS);

    MimeMessage[] received = SMTP.getReceivedMessagesForDomain(email.to());
    assertThat(received).hasSize(2);
    assertThat(received[0].getMessageID()).isEqualTo(received[1].getMessageID())
        .isEqualTo(SmtpMailer.messageId(email.to(), email.key(), "example.com")).matches("<[0-9a-f]{40}@example\\.com>");
    assertThat(received[0].getHeader(SmtpMailer.SENT_BY_HEADER, null)).isEqualTo("node-a");
    assertThat(received[1].getHeader(SmtpMailer.SENT_BY_HEADER, null)).isEqualTo("node-b");
    assertThat(SMTP.getReceivedMessagesForDomain(other.to())[0].getMessageID()).isNotEqualTo(received[0].getMessageID());
  }

  @Test
  void whenTheServerCannotBeReachedTheSendFailsAndALaterOneGoesThrough(Vertx vertx) throws Exception {
    SendEmail email = email();
    int nobodyListens = Ports.free();
    assertThatThrownBy(() -> mailer(vertx, "node-a", nobodyListens).send(email).await(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.SMTP_FAILED));
    assertThat(SMTP.getReceivedMessagesForDomain(email.to())).isEmpty();

    mailer(vertx, "node-a", SMTP.getSmtp().getPort()).send(email).await(20, TimeUnit.SECONDS);
    assertThat(SMTP.getReceivedMessagesForDomain(email.to())).hasSize(1);
  }

  @Test
  void aLiveClaimOfAnotherNodeHoldsTheSendBackAndAnExpiredOneIsTakenOver(Vertx vertx) throws Exception {
    SendEmail email = email();
    new SentEmails(hazelcast).claim(email.to(), email.key(), "node-z", SmtpMailer.CLAIM_LIFETIME.toMillis());
    Mailer mailer = mailer(vertx, "node-a", SMTP.getSmtp().getPort());
    assertThatThrownBy(() -> mailer.send(email).await(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.BEING_SENT));
    assertThat(SMTP.getReceivedMessagesForDomain(email.to())).isEmpty();
    assertThat(mailer.sent(email.to()).await(20, TimeUnit.SECONDS)).as("a claim is not a sent email").isEmpty();

    // As if node-z died mid-send a lifetime ago.
    long longAgo = System.currentTimeMillis() - SmtpMailer.CLAIM_LIFETIME.toMillis() - 1_000;
    hazelcast.<String, String>getMap(EmailContract.SENT_MAP).set(email.to() + "/" + email.key(),
        new JsonObject().put("claimedBy", "node-z").put("claimedAt", longAgo).encode());
    SentEmail sent = mailer.send(email).await(20, TimeUnit.SECONDS);
    assertThat(sent.node()).isEqualTo("node-a");
    assertThat(SMTP.getReceivedMessagesForDomain(email.to())).hasSize(1);
  }

  private static Mailer mailer(Vertx vertx, String node, int port) {
    return new SmtpMailer(vertx, hazelcast, node, new SmtpMailer.Server("127.0.0.1", port, "orderbus@example.com", "", ""));
  }

  private static SendEmail email() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    return new SendEmail("order:" + id, "smtp-" + id + "@example.com", "Your order " + id,
        "Thank you for your order " + id + ":\n  1 x book\n", id);
  }
}
