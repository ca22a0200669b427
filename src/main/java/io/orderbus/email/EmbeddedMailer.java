package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.PageCursor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The default mailer: "sending" records the email in the cluster's sent mail, where {@code GET /emails}
 * shows it. The record is a put-if-absent: two members racing on the same email record one.
 */
public final class EmbeddedMailer implements Mailer {
  private final Vertx vertx;
  private final SentEmails sent;
  private final String node;

  public EmbeddedMailer(Vertx vertx, HazelcastInstance hazelcast, String node) {
    this.vertx = vertx;
    this.sent = new SentEmails(hazelcast);
    this.node = node;
  }

  @Override
  public Future<SentEmail> send(SendEmail email) {
    SentEmail record = new SentEmail(email.key(), email.to(), email.subject(), email.body(), email.orderId(),
        sent.now(), node);
    return sent.recordIfAbsent(record, vertx.getOrCreateContext());
  }

  @Override
  public Future<SentEmail> cancel(String to, String key) {
    // Recording is this mailer's whole send: there is never a claim to wait for.
    return sent.cancel(to, key, 0, sent.now(), vertx.getOrCreateContext());
  }

  @Override
  public Future<List<SentEmail>> sent(String to, int limit, PageCursor after) {
    return vertx.executeBlocking(() -> sent.list(to, limit, after), false);
  }
}
