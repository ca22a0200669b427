package io.orderbus.node;

import io.orderbus.email.SmtpMailer;

/**
 * How the email service sends, and the SMTP server when it sends through one. The password is left out of
 * {@link #toString()}.
 *
 * @param smtpUsername empty for no login
 */
public record MailerSettings(MailerKind kind, String smtpHost, int smtpPort, String smtpFrom, String smtpUsername,
                             String smtpPassword) {

  static MailerSettings read(SettingsReader in) {
    return new MailerSettings(in.oneOf("mailer", MailerKind.class), in.text("smtpHost"), in.number("smtpPort"),
        in.text("smtpFrom"), in.text("smtpUsername"), in.text("smtpPassword"));
  }

  /** The server as the SMTP mailer takes it. */
  public SmtpMailer.Server smtp() {
    return new SmtpMailer.Server(smtpHost, smtpPort, smtpFrom, smtpUsername, smtpPassword);
  }

  @Override
  public String toString() {
    return "MailerSettings[kind=" + kind + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", smtpFrom="
        + smtpFrom + ", smtpUsername=" + smtpUsername + ", smtpPassword=(secret)]";
  }
}
