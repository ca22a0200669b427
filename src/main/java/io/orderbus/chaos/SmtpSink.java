package io.orderbus.chaos;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's SMTP server (GreenMail) on a loopback port, which can be stopped and started again on the same
 * port. It is where mail is counted: what it received is what the customers got, whatever the cluster's own
 * records say. GreenMail forgets its mail when stopped, so each stop first keeps what it had.
 */
final class SmtpSink implements AutoCloseable {
  /** One mail as received: one recipient (the cluster sends each mail to one), its subject. */
  record Mail(String to, String subject) {
  }

  private final ServerSetup setup;
  private final List<Mail> kept = new ArrayList<>();
  private GreenMail server;

  SmtpSink(int port) {
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
      kept.addAll(mails(message.getMimeMessage()));
    }
  }

  /** Every mail received so far, across stops. */
  synchronized List<Mail> received() {
    List<Mail> all = new ArrayList<>(kept);
    if (server != null) {
      for (MimeMessage message : server.getReceivedMessages()) {
        all.addAll(mails(message));
      }
    }
    return all;
  }

  @Override
  public void close() {
    stop();
  }

  private static List<Mail> mails(MimeMessage message) {
    try {
      Address[] to = message.getAllRecipients();
      String subject = message.getSubject();
      List<Mail> out = new ArrayList<>();
      if (to != null) {
        for (Address address : to) {
          out.add(new Mail(((InternetAddress) address).getAddress(), subject));
        }
      }
      return out;
    } catch (MessagingException e) {
      throw new IllegalStateException("a received mail could not be read", e);
    }
  }
}
