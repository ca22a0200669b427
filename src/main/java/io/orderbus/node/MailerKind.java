package io.orderbus.node;

/** How the email service sends: kept in the cluster only, or through an SMTP server too. */
public enum MailerKind {
  EMBEDDED, SMTP
}
