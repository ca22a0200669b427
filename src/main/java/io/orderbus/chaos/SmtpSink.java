package io.orderbus.chaos;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.orderbus.email.SmtpMailer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's SMTP server (GreenMail) on a loopback port, which can be stopped and started again on the same
 * port. It is where mail is counted: what it received is what the customers got, whatever the cluster's own
 * records say. GreenMail forgets its mail when stopped, so each stop first keeps what it had.
 */
final class SmtpSink implements AutoCloseable {
  /**
   * One mail as received: one recipient (the cluster sends each mail to one), its subject, its Message-ID, the
   * node its header says sent it, and when the server took it (run time; null if the server did not say).
   */
  record Mail(String to, String subject, String messageId, String sentBy, Duration receivedAt) {
    /** A mail known only by recipient and subject. */
    Mail(String to, String subject) {
      this(to, subject, null, null, null);
    }
  }

  private final ServerSetup setup;
  private final RunClock clock;
  private final List<Mail> kept = new ArrayList<>();
  private GreenMail server;

  SmtpSink(int port, RunClock clock) {
    this.clock = clock;
    this.setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    // GreenMail's 2 s to start is too little on a small machine busy with five nodes.
    this.setup.setServerStartupTimeout(15_000);
  }

  int port() {
    return setup.getPort();
  }

  synchronized void start() {
    if (server == null) {
      server = new GreenMail(setup);
      server.start();
    }
  }

  /** Stops the server; what it received is kept. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    // The store is read after the stop, when nothing more can arrive, from the managers taken before it.
    Managers managers = server.getManagers();
    server.stop();
    server = null;
    for (StoredMessage message : managers.getImapHostManager().getAllMessages()) {
      kept.addAll(mailsOrFail(message.getMimeMessage(), message.getReceivedDate()));
    }
  }

  /** Every mail received so far, across stops. */
  synchronized List<Mail> received() {
    List<Mail> all = new ArrayList<>(kept);
    if (server != null) {
      for (MimeMessage message : server.getReceivedMessages()) {
        all.addAll(mailsOrFail(message, null));
      }
    }
    return all;
  }

  @Override
  public void close() {
    stop();
  }

  /** {@code received} is when the server took it, or null to ask the message itself. */
  private List<Mail> mails(MimeMessage message, java.util.Date received) throws MessagingException {
    if (received == null) {
      received = message.getReceivedDate();
    }
    Address[] to = message.getAllRecipients();
    String subject = message.getSubject();
    String sentBy = message.getHeader(SmtpMailer.SENT_BY_HEADER, null);
    Duration at = received == null ? null
        : clock.elapsed().minusMillis(System.currentTimeMillis() - received.getTime());
    List<Mail> out = new ArrayList<>();
    if (to != null) {
      for (Address address : to) {
        out.add(new Mail(((InternetAddress) address).getAddress(), subject, message.getMessageID(), sentBy, at));
      }
    }
    return out;
  }

  private List<Mail> mailsOrFail(MimeMessage message, java.util.Date received) {
    try {
      return mails(message, received);
    } catch (MessagingException e) {
      throw new IllegalStateException("a received mail could not be read", e);
    }
  }
}
