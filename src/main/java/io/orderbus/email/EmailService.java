package io.orderbus.email;

import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.inventory.InventoryContract.Line;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.PageCursor;
import io.orderbus.messaging.PermanentFailure;
import io.orderbus.order.OrderContract;
import io.orderbus.user.UserContract;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tells customers about their orders and welcomes users: each email once, however often its event arrives.
 * An async order gets "received" at once and, only if inventory rejects it, "could not be fulfilled".
 */
public final class EmailService {
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
  public Future<SentEmail> send(SendEmail email) {
    String refusal = refusal(email);
    return refusal != null ? Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, refusal))
        : mailer.send(email);
  }

  /** The sync path's fence: the email sent under {@code key}, or null once it is cancelled for good. */
  public Future<SentEmail> cancel(String to, String key) {
    if (to == null || key == null) {
      return Future.failedFuture(new EmailFailure(EmailContract.INVALID_REQUEST, "key and to are required"));
    }
    return mailer.cancel(to, key);
  }

  /**
   * A page of the emails sent (see {@link EmailContract#LIST}): to {@code to} if not null, which must then be
   * an address; {@code limit} (1 to {@value #MAX_PAGE}) of them after the page token {@code after}, if not null.
   */
  public Future<PageCursor.Page<SentEmail>> sent(String to, int limit, String after) {
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
    return mailer.sent(to, limit + 1, cursor).map(emails -> PageCursor.page(emails, limit, SentEmails::cursorOf));
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

  /** Sends an email an event asked for; one that must not be sent is a dead letter at once, never retried. */
  private Future<SentEmail> sendFor(SendEmail email) {
    String refusal = refusal(email);
    return refusal != null ? Future.failedFuture(new PermanentFailure(refusal)) : mailer.send(email);
  }

  public Future<Void> onEvent(Event event) {
    JsonObject payload = event.payload();
    return switch (event.topic()) {
      case OrderContract.ORDER_CREATED -> {
        String orderId = payload.getString("orderId");
        List<Line> items = payload.getJsonArray("items").stream().map(o -> Line.fromJson((JsonObject) o)).toList();
        yield sendFor(EmailContract.orderReceived(orderId, payload.getString("customerEmail"), items))
            .compose(sent -> delivery.publish(EmailContract.EMAIL_SENT, "email-" + orderId,
                new JsonObject().put("orderId", orderId).put("to", sent.to()).put("sentAt", sent.sentAt())));
      }
      case InventoryContract.STOCK_REJECTED -> {
        String to = payload.getString("customerEmail");
        // An outcome reported without the address (by a node of an older version) has nobody to tell.
        yield to == null ? Future.succeededFuture() : sendFor(EmailContract.orderRejected(payload.getString("orderId"),
            to, payload.getString("reason"), payload.getString("sku"))).mapEmpty();
      }
      case UserContract.USER_SIGNED_UP ->
          sendFor(EmailContract.welcome(payload.getString("email"), payload.getString("name"))).mapEmpty();
      default -> Future.succeededFuture();
    };
  }
}
