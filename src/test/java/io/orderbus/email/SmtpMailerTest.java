package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Eventually;
import io.orderbus.support.Ports;
import io.orderbus.support.SmtpGate;
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

  @Test
  void aSendWhoseAnswerWasLostIsNeverCancelledAndIsSentAgainAsTheSameMessage(Vertx vertx) throws Exception {
    SendEmail email = email();
    try (SmtpGate gate = SmtpGate.start(vertx, SMTP.getSmtp().getPort())) {
      gate.loseRepliesToData();
      Mailer mailer = mailer(vertx, "node-a", gate.port());
      assertThatThrownBy(() -> mailer.send(email).await(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.SMTP_FAILED));
      assertThat(SMTP.getReceivedMessagesForDomain(email.to())).as("the server took it all the same").hasSize(1);

      assertThatThrownBy(() -> mailer.cancel(email.to(), email.key()).await(20, TimeUnit.SECONDS))
          .as("a mail the server may have is never cancelled")
          .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.MAY_HAVE_BEEN_SENT));

      gate.open();
      SentEmail sent = mailer(vertx, "node-b", gate.port()).send(email).await(20, TimeUnit.SECONDS);
      assertThat(sent.node()).isEqualTo("node-b");
      MimeMessage[] received = SMTP.getReceivedMessagesForDomain(email.to());
      assertThat(received).hasSize(2);
      assertThat(received[1].getMessageID()).as("sent again, one message").isEqualTo(received[0].getMessageID());
      assertThat(mailer.cancel(email.to(), email.key()).await(20, TimeUnit.SECONDS)).isEqualTo(sent);
    }
  }

  @Test
  void aSendTheServerRefusedCanBeCancelledAndThenNeverGoesOut(Vertx vertx) throws Exception {
    SendEmail email = email();
    try (SmtpGate gate = SmtpGate.start(vertx, SMTP.getSmtp().getPort())) {
      gate.hold();
      Mailer mailer = mailer(vertx, "node-a", gate.port());
      var sending = mailer.send(email);
      Eventually.until(java.time.Duration.ofSeconds(20), "the send at the server", () -> gate.held() == 1);
      gate.refuseHeld();
      assertThatThrownBy(() -> sending.await(20, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.SMTP_FAILED));

      assertThat(mailer.cancel(email.to(), email.key()).await(20, TimeUnit.SECONDS)).as("cancelled").isNull();
      gate.open();
      assertThatThrownBy(() -> mailer.send(email).await(20, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.CANCELLED));
      assertThat(SMTP.getReceivedMessagesForDomain(email.to())).isEmpty();
    }
  }

  @Test
  void aClaimWhoseNodeDiedMidSendIsNeverCancelled(Vertx vertx) throws Exception {
    SendEmail email = email();
    long longAgo = System.currentTimeMillis() - SmtpMailer.CLAIM_LIFETIME.toMillis() - 1_000;
    hazelcast.<String, String>getMap(EmailContract.SENT_MAP).set(email.to() + "/" + email.key(),
        new JsonObject().put("claimedBy", "node-z").put("claimedAt", longAgo).encode());
    Mailer mailer = mailer(vertx, "node-a", SMTP.getSmtp().getPort());
    assertThatThrownBy(() -> mailer.cancel(email.to(), email.key()).await(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(EmailFailure.class, f -> assertThat(f.code()).isEqualTo(EmailContract.MAY_HAVE_BEEN_SENT));
    assertThat(mailer.send(email).await(20, TimeUnit.SECONDS).node()).isEqualTo("node-a");
  }

  @Test
  void onlyAnAnswerOfTheServerOrAConnectionNeverMadeSaysTheServerHasNoMail() {
    assertThat(SmtpMailer.mayHaveBeenTaken(new io.vertx.ext.mail.SMTPException("sending data failed", 451,
        java.util.List.of("451 try later"), false))).isFalse();
    assertThat(SmtpMailer.mayHaveBeenTaken(new java.net.ConnectException("Connection refused"))).isFalse();
    assertThat(SmtpMailer.mayHaveBeenTaken(new RuntimeException("wrapped", new java.net.ConnectException("refused")))).isFalse();
    assertThat(SmtpMailer.mayHaveBeenTaken(new java.io.IOException("socket was closed unexpected."))).isTrue();
    assertThat(SmtpMailer.mayHaveBeenTaken(new io.vertx.core.VertxException("Connection was closed.", true))).isTrue();
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
