package io.orderbus.support;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Arrays;
import java.util.List;

/** What a test reads of a mail an SMTP server (GreenMail) received. */
public final class Mails {
  private Mails() {
  }

  /** The addresses the mail was sent to. */
  public static List<String> recipients(MimeMessage mail) {
    try {
      Address[] to = mail.getAllRecipients();
      return to == null ? List.of() : Arrays.stream(to).map(a -> ((InternetAddress) a).getAddress()).toList();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
