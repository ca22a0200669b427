package io.orderbus.email;

import io.orderbus.events.EmailEvents;
import io.orderbus.events.EmailEvents.EmailSent;
import io.orderbus.events.OrderEvents.OrderCreated;
import io.orderbus.events.StockEvents.StockOutcome;
import io.orderbus.events.UserEvents.UserSignedUp;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.StockEvents;
import io.orderbus.events.UserEvents;

import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.Hops;
import io.orderbus.email.EmailContract.CancelEmail;
import io.orderbus.email.EmailContract.ListEmails;
import io.orderbus.email.EmailContract.SentPage;
import io.orderbus.messaging.PageCursor;
import io.orderbus.messaging.PermanentFailure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;


/**
 * Tells customers about their orders and welcomes users: each email once, however often its event arrives.
 * An async order gets "received" at once and, only if inventory rejects it, "could not be fulfilled".
 */
public final class EmailService implements EmailApi {
  private final Mailer mailer;
  private final Delivery delivery;

  public EmailService(Mailer mailer, Delivery delivery) {
    this.mailer = mailer;
    this.delivery = delivery;
  }

  /** Most emails listed in one page. */
  public static final int MAX_PAGE = 10_000;

  /** Longest subject sent, in UTF-16 units: far above any this service writes, so only a bad one is refused. */
  static final int MAX_SUBJECT = 998;

  /**
   * Sync path: send now. An email this service must not send (see {@link #refusal}) fails with
   * {@link EmailContract#INVALID_REQUEST}: the asker's mistake, which no circuit counts as an outage.
   */
  @Override
  public Future<SentEmail> send(SendEmail email) {
    String refusal = refusal(email);
    return refusal != null ? Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, refusal))
        : mail(email);
  }

  /** The sync path's fence: the email sent under its key, or null once it is cancelled for good. */
  @Override
  public Future<SentEmail> cancel(CancelEmail email) {
    if (email.to() == null || email.key() == null) {
      return Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, "key and to are required"));
    }
    return mailer.cancel(email.to(), email.key());
  }

  /**
   * A page of the emails sent (see {@link EmailContract#LIST}): to {@code to} if not null, which must then be
   * an address; {@code limit} (1 to {@value #MAX_PAGE}) of them after the page token {@code after}, if not null.
   */
  @Override
  public Future<SentPage> list(ListEmails request) {
    String to = request.to();
    int limit = request.limit();
    String after = request.after();
    if (to != null && !EmailAddress.isValid(to)) {
      return Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, "to must be " + EmailAddress.RULE));
    }
    if (limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, "limit must be 1 to " + MAX_PAGE));
    }
    PageCursor cursor;
    try {
      cursor = PageCursor.decode(after);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, e.getMessage()));
    }
    return mailer.sent(to, limit + 1, cursor).map(emails -> PageCursor.page(emails, limit, SentEmails::cursorOf))
        .map(page -> new SentPage(page.items(), page.next()));
  }

  /**
   * Why {@code email} must not be sent, or null. The gateway checks addresses and names already; this is
   * the last door before the SMTP server, for whatever reached the bus another way (a node of an older
   * version, a replayed event): an address the server would refuse, or a subject that could add a header.
   */
  static String refusal(SendEmail email) {
    if (email.key() == null || email.to() == null || email.subject() == null || email.body() == null) {
      return "key, to, subject and body are required";
    }
    if (!EmailAddress.isValid(email.to())) {
      return "to must be " + EmailAddress.RULE;
    }
    if (!HeaderSafeText.isValid(email.subject(), MAX_SUBJECT)) {
      return "the subject must be one line of at most " + MAX_SUBJECT + " characters, without control characters";
    }
    return null;
  }

  /** Hands an email to the mailer; one about an order is a step of that order's path. */
  private Future<SentEmail> mail(SendEmail email) {
    return mailer.send(email).onSuccess(sent -> {
      if (email.orderId() != null) {
        Hops.log(email.orderId(), "email sent");
      }
    });
  }

  /** Sends an email an event asked for; one that must not be sent is a dead letter at once, never retried. */
  private Future<SentEmail> sendFor(SendEmail email) {
    String refusal = refusal(email);
    return refusal != null ? Future.failedFuture(new PermanentFailure(refusal)) : mail(email);
  }

  public Future<Void> onEvent(Event event) {
    JsonObject payload = event.payload();
    return switch (event.topic()) {
      case OrderEvents.ORDER_CREATED -> {
        OrderCreated order = OrderCreated.fromJson(payload);
        yield sendFor(EmailContract.orderReceived(order.orderId(), order.customerEmail(), order.items()))
            .compose(sent -> delivery.publish(EmailEvents.EMAIL_SENT, "email-" + order.orderId(),
                new EmailSent(order.orderId(), sent.to(), sent.sentAt()).toJson()));
      }
      case StockEvents.STOCK_REJECTED -> {
        StockOutcome outcome = StockOutcome.fromJson(payload);
        // An outcome reported without the address (by a node of an older version) has nobody to tell.
        yield outcome.customerEmail() == null ? Future.succeededFuture()
            : sendFor(EmailContract.orderRejected(outcome.orderId(), outcome.customerEmail(), outcome.reason(),
                outcome.sku())).mapEmpty();
      }
      case UserEvents.USER_SIGNED_UP -> {
        UserSignedUp user = UserSignedUp.fromJson(payload);
        yield sendFor(EmailContract.welcome(user.email(), user.name())).mapEmpty();
      }
      default -> Future.succeededFuture();
    };
  }
}
