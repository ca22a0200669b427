package io.orderbus.email;

import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Role {@code email}: the messaging edge of {@link EmailService}. */
public final class EmailVerticle extends VerticleBase {
  private final Mailer mailer;
  private final Delivery delivery;

  public EmailVerticle(Mailer mailer, Delivery delivery) {
    this.mailer = mailer;
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    EmailService service = new EmailService(mailer, delivery);
    var send = vertx.eventBus().<JsonObject>consumer(EmailContract.SEND, m ->
        Replies.reply(m, Replies.attempt(() -> service.send(EmailContract.SendEmail.fromJson(m.body())))
            .map(EmailContract.SentEmail::toJson)));
    var cancel = vertx.eventBus().<JsonObject>consumer(EmailContract.CANCEL, m ->
        Replies.reply(m, service.cancel(m.body().getString("to"), m.body().getString("key")).map(sent -> sent == null
            ? new JsonObject().put("outcome", "CANCELLED")
            : new JsonObject().put("outcome", "SENT").put("email", sent.toJson()))));
    var list = vertx.eventBus().<JsonObject>consumer(EmailContract.LIST, m ->
        Replies.reply(m, Replies.attempt(() -> service.sent(m.body().getString("to"),
                m.body().getInteger("limit", EmailContract.DEFAULT_PAGE), m.body().getString("after")))
            .map(page -> new JsonObject()
                .put("emails", new JsonArray(page.items().stream().map(EmailContract.SentEmail::toJson).toList()))
                .put("next", page.next()))));
    return Future.all(send.completion(), cancel.completion(), list.completion(), delivery.subscribe(EmailContract.GROUP, service::onEvent));
  }
}
