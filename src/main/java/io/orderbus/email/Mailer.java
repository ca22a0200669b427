package io.orderbus.email;

import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.PageCursor;
import io.vertx.core.Future;

import java.util.List;

/** Sends email, at most once per recipient and {@link SendEmail#key()}. */
public interface Mailer {

  /** Sends, or returns the email already sent to the same recipient under the same key. */
  Future<SentEmail> send(SendEmail email);

  /**
   * Makes sure the email under {@code key} to {@code to} never goes out, unless it went out already: the
   * email sent, or null once cancelled (every later {@link #send} of it fails with
   * {@link EmailContract#CANCELLED}). Fails with {@link EmailContract#BEING_SENT} while a send is under way.
   */
  Future<SentEmail> cancel(String to, String key);

  /**
   * Emails sent, oldest first (by time, then recipient and key), at most {@code limit}, those after
   * {@code after} if not null; to every recipient if {@code to} is null.
   */
  Future<List<SentEmail>> sent(String to, int limit, PageCursor after);

  /** The first emails sent to {@code to} (every recipient if null), at most 1000. */
  default Future<List<SentEmail>> sent(String to) {
    return sent(to, 1000, null);
  }
}
