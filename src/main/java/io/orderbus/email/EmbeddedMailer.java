package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The default mailer: "sending" records the email in a cluster map, where {@code GET /emails} shows it.
 * The map key is {@code <to>/<key>} and the write is a put-if-absent: two members racing on the same
 * email record one.
 */
public final class EmbeddedMailer implements Mailer {
  private final Vertx vertx;
  private final IMap<String, String> sent;
  private final String node;

  public EmbeddedMailer(Vertx vertx, HazelcastInstance hazelcast, String node) {
    this.vertx = vertx;
    this.sent = hazelcast.getMap(EmailContract.SENT_MAP);
    this.node = node;
  }

  @Override
  public Future<SentEmail> send(SendEmail email) {
    SentEmail record = new SentEmail(email.key(), email.to(), email.subject(), email.body(), email.orderId(),
        System.currentTimeMillis(), node);
    return vertx.executeBlocking(() -> {
      String previous = sent.putIfAbsent(email.to() + "/" + email.key(), record.toJson().encode());
      return previous == null ? record : SentEmail.fromJson(new JsonObject(previous));
    }, false);
  }

  @Override
  public Future<List<SentEmail>> sent(String to) {
    return vertx.executeBlocking(() -> {
      var values = to == null
          ? sent.values()
          : sent.values(Predicates.regex("__key", Pattern.quote(to) + "/.*"));
      return values.stream().map(json -> SentEmail.fromJson(new JsonObject(json)))
          .sorted(Comparator.comparingLong(SentEmail::sentAt)).toList();
    }, false);
  }
}
