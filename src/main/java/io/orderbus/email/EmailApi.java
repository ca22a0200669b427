package io.orderbus.email;

import io.orderbus.email.EmailContract.CancelEmail;
import io.orderbus.email.EmailContract.ListEmails;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.email.EmailContract.SentPage;
import io.orderbus.messaging.ServiceBinder;
import io.orderbus.messaging.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * What the email service does for its callers, on the event bus at the addresses of {@link EmailContract}.
 * Failures are {@link EmailFailure}s with the contract's codes; a caller sees them as
 * {@link io.orderbus.messaging.ServiceFailure}s with the same code and details.
 */
public interface EmailApi {

  /** Sends now, once per recipient and key: a repeated request answers the email sent the first time. */
  Future<SentEmail> send(SendEmail email);

  /**
   * Makes sure the email never goes out, unless it already did: the email as sent, or null once it is cancelled
   * for good. Fails with BEING_SENT while a send is under way (ask again later).
   */
  Future<SentEmail> cancel(CancelEmail email);

  /** A page of the emails sent, oldest first. */
  Future<SentPage> list(ListEmails request);

  /** Serves {@code api} on the contract's addresses. */
  static ServiceBinder serve(ServiceBinder binder, EmailApi api) {
    return binder
        .serve(EmailContract.SEND, SendEmail::fromJson, api::send, SentEmail::toJson)
        .serve(EmailContract.CANCEL, CancelEmail::fromJson, api::cancel, EmailContract::cancelled)
        .serve(EmailContract.LIST, ListEmails::fromJson, api::list, SentPage::toJson);
  }

  /** Asks the email service across the cluster, waiting {@code timeout} for each answer. */
  static EmailApi client(Vertx vertx, Duration timeout) {
    ServiceClient client = new ServiceClient(vertx, "email", timeout);
    return new EmailApi() {
      @Override
      public Future<SentEmail> send(SendEmail email) {
        return client.ask(EmailContract.SEND, email.toJson(), SentEmail::fromJson);
      }

      @Override
      public Future<SentEmail> cancel(CancelEmail email) {
        return client.ask(EmailContract.CANCEL, email.toJson(), EmailContract::cancelledFromJson);
      }

      @Override
      public Future<SentPage> list(ListEmails request) {
        return client.ask(EmailContract.LIST, request.toJson(), SentPage::fromJson);
      }
    };
  }
}
