package io.orderbus.email;

import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.ServiceBinder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

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
    ServiceBinder api = EmailApi.serve(new ServiceBinder(vertx), service);
    return Future.all(api.ready(), delivery.subscribe(EmailContract.GROUP, service::onEvent));
  }
}
