package io.orderbus.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** Where a test's GreenMail SMTP server listens, and how long it may take to start. */
public final class SmtpServers {
  /**
   * GreenMail gives a server 2 s to start and then fails the test; on two cores shared with a cluster under load
   * (a restart in the middle of an outage test) that was seen to be too little.
   */
  private static final long STARTUP_TIMEOUT_MS = 15_000;

  private SmtpServers() {
  }

  /** SMTP on 127.0.0.1 at a free port. */
  public static ServerSetup onFreePort() {
    ServerSetup setup = new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    setup.setServerStartupTimeout(STARTUP_TIMEOUT_MS);
    return setup;
  }

  /**
   * A GreenMail server started again on a port another server just left. The port may refuse a new listener
   * for a moment after the old one closed its connections (a CI run failed so, 50 ms into a test): tried for
   * up to 10 s.
   */
  public static GreenMail restartOn(ServerSetup setup) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      GreenMail smtp = new GreenMail(setup);
      try {
        smtp.start();
        return smtp;
      } catch (IllegalStateException e) {
        smtp.stop();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
