package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.PageCursor;
import io.orderbus.messaging.ProcessStalls;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;

import java.time.Duration;
import java.util.List;

/**
 * Sends through an SMTP server (vertx-mail-client) and records what it sent in the cluster's sent mail.
 *
 * <p>At most once per recipient and key, except in one window: SMTP has no idempotency key, so the key is
 * claimed before sending and the claim becomes the record after the server accepted the mail. Two members
 * (or a redelivery) never send the same email at once; but if the node dies after the server accepted
 * and before the record, the claim expires after {@link #CLAIM_LIFETIME} and a redelivery sends it again.
 * If the server refuses or cannot be reached, the claim is released and the send fails, to be retried. If
 * the session broke off without the server's answer, the server may have the mail (its "250" may be what was
 * lost): the claim becomes a may-have-been-sent mark, which is never cancelled, and the next send of the
 * email, by anyone, sends it again.
 *
 * <p>A mail sent twice that way is the same message both times: its {@code Message-ID} is made from the
 * recipient and the key, so a receiver that drops a message it already has by its Message-ID (RFC 5322
 * says one Message-ID names one message) shows it once. {@value #SENT_BY_HEADER} names the node that sent it.
 */
public final class SmtpMailer implements Mailer {
  /** Longer than any send takes (connect and idle timeouts below), so a live claim is never taken over. */
  static final Duration CLAIM_LIFETIME = Duration.ofSeconds(60);
  /** How long a sent mail's record is retried: well inside the claim's lifetime, so nobody else sends it. */
  static final Duration RECORD_PATIENCE = Duration.ofSeconds(30);
  /** The header naming the node that sent a mail: who to ask when a mail came twice. */
  public static final String SENT_BY_HEADER = "X-Orderbus-Sent-By";
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int IDLE_TIMEOUT_S = 20;

  private final Vertx vertx;
  private final SentEmails sent;
  private final String node;
  private final String from;
  private final String messageIdDomain;
  private final MailClient client;

  /** Settings of the SMTP server. An empty username means no login; STARTTLS is used when offered. */
  public record Server(String host, int port, String from, String username, String password) {
  }

  public SmtpMailer(Vertx vertx, HazelcastInstance hazelcast, String node, Server server) {
    this.vertx = vertx;
    this.sent = new SentEmails(hazelcast);
    this.node = node;
    this.from = server.from();
    int at = from.lastIndexOf('@');
    String domain = at < 0 ? "" : from.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "");
    this.messageIdDomain = domain.isEmpty() ? "orderbus" : domain;
    MailConfig config = new MailConfig().setHostname(server.host()).setPort(server.port())
        .setStarttls(StartTLSOptions.OPTIONAL)
        .setLogin(server.username().isEmpty() ? LoginOption.DISABLED : LoginOption.REQUIRED)
        .setUsername(server.username().isEmpty() ? null : server.username())
        .setPassword(server.password().isEmpty() ? null : server.password());
    config.setConnectTimeout(CONNECT_TIMEOUT_MS);
    config.setIdleTimeout(IDLE_TIMEOUT_S);
    this.client = MailClient.create(vertx, config);
  }

  @Override
  public Future<SentEmail> send(SendEmail email) {
    long began = System.nanoTime();
    if (ProcessStalls.get().fenced()) {
      return Future.failedFuture(paused());
    }
    return vertx.executeBlocking(() -> sent.claim(email.to(), email.key(), node, CLAIM_LIFETIME.toMillis()), false)
        .compose(standing -> {
          if (standing == null) {
            // The claim may have been taken on a stale view of the cluster if this process stood still since.
            return ProcessStalls.get().stalledSince(began) ? Future.failedFuture(paused()) : deliver(email);
          }
          if (standing.sent() != null) {
            return Future.succeededFuture(standing.sent());
          }
          if (standing.cancelled()) {
            return Future.failedFuture(SentEmails.cancelled(email.to(), email.key()));
          }
          return Future.failedFuture(new EmailFailure(EmailContract.BEING_SENT, "the email '" + email.key() + "' to "
              + email.to() + " is being sent by " + (standing.marked() ? "another attempt" : standing.claimedBy())));
        });
  }

  @Override
  public Future<SentEmail> cancel(String to, String key) {
    return sent.cancel(to, key, CLAIM_LIFETIME.toMillis(), sent.now(), vertx.getOrCreateContext());
  }

  @Override
  public Future<List<SentEmail>> sent(String to, int limit, PageCursor after) {
    return vertx.executeBlocking(() -> sent.list(to, limit, after), false);
  }

  /**
   * The server has the mail: record it, trying again for up to {@link #RECORD_PATIENCE}. A node cut off from
   * the majority cannot write until it merges back (seconds); had it given up, the claim would expire and
   * another node would send the mail a second time. Within the patience the claim is still this node's.
   */
  private Future<SentEmail> record(SentEmail email, long since) {
    return vertx.executeBlocking(() -> {
      sent.record(email);
      return email;
    }, false).recover(failure -> {
      long waited = System.nanoTime() - since;
      if (waited > RECORD_PATIENCE.toNanos()) {
        return Future.failedFuture(failure);
      }
      long pause = Math.min(2_000, 100 + waited / 4_000_000);
      return vertx.timer(pause).compose(t -> record(email, since));
    });
  }

  private Future<SentEmail> deliver(SendEmail email) {
    MailMessage message = new MailMessage().setFrom(from).setTo(email.to()).setSubject(email.subject())
        .setText(email.body())
        .setHeaders(MultiMap.caseInsensitiveMultiMap()
            .add("Message-ID", messageId(email.to(), email.key(), messageIdDomain))
            .add(SENT_BY_HEADER, node.replaceAll("[^A-Za-z0-9._+-]", "_")));
    return client.sendMail(message)
        .compose(result -> record(new SentEmail(email.key(), email.to(), email.subject(), email.body(), email.orderId(),
            sent.now(), node), System.nanoTime()), failure -> vertx.executeBlocking(() -> {
          sent.release(email.to(), email.key(), node, mayHaveBeenTaken(failure));
          return null;
        }, false).transform(released -> Future.failedFuture(new EmailFailure(EmailContract.SMTP_FAILED,
            "the SMTP server did not take the email to " + email.to() + ": " + failure.getMessage()))));
  }

  /**
   * Whether the server may have the mail although the send failed. Only an answer of the server (a refusal
   * at any step, {@link SMTPException}) or a connection never made says it does not. A session that broke off
   * (closed, reset, timed out) may have broken off after the server took the mail and before its "250"
   * arrived; the client does not say at which step, so every such failure counts.
   */
  static boolean mayHaveBeenTaken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SMTPException || t instanceof java.net.ConnectException) {
        return false;
      }
    }
    return true;
  }

  private static EmailFailure paused() {
    return new EmailFailure(EmailContract.PAUSED, "this email node " + ProcessStalls.get().describe()
        + " and may have been dropped from the cluster meanwhile: it sends no mail for a while");
  }

  /** The same for every copy of one mail: the recipient and the key, hashed (neither is shown). */
  static String messageId(String to, String key, String domain) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest((to + "\n" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "<" + java.util.HexFormat.of().formatHex(hash, 0, 20) + "@" + domain + ">";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
