package io.orderbus.email;

import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
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

  /** Emails sent, oldest first; all of them if {@code to} is null. */
  Future<List<SentEmail>> sent(String to);
}
