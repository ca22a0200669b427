package io.orderbus.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TCP gate in front of a real SMTP server: open, it passes every connection through; holding, it keeps
 * new connections waiting (the mailer has connected and waits for the server's greeting: an email is on its
 * way and nobody knows yet whether it will arrive); then it lets them through, or cuts them (the send fails).
 */
public final class SmtpGate implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final int upstreamPort;
  private final List<NetSocket> held = new CopyOnWriteArrayList<>();
  /** Connections passed through: the mail client keeps them for its next mails. */
  private final List<NetSocket> passed = new CopyOnWriteArrayList<>();
  private volatile boolean holding;
  private volatile boolean losingReplies;

  private SmtpGate(Vertx vertx, int upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(socket -> {
      socket.pause();
      if (holding) {
        held.add(socket);
      } else {
        pass(socket);
      }
    });
  }

  public static SmtpGate start(Vertx vertx, int upstreamPort) throws Exception {
    SmtpGate gate = new SmtpGate(vertx, upstreamPort);
    gate.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return gate;
  }

  public int port() {
    return server.actualPort();
  }

  /** From now on, new connections wait; those passed before are closed, so the next mail connects anew. */
  public void hold() {
    holding = true;
    closePassed();
  }

  public int held() {
    return held.size();
  }

  /** Cuts the waiting connections: their sends fail, and nobody can tell whether the server got them. */
  public void cutHeld() {
    held.forEach(NetSocket::close);
    held.clear();
  }

  /** Answers the waiting connections as a server refusing service does (a 554 greeting), and closes them. */
  public void refuseHeld() {
    held.forEach(socket -> socket.write("554 5.3.2 not accepting mail\r\n").onComplete(ar -> socket.close()));
    held.clear();
  }

  /**
   * From now on (until {@link #open}), the server's answer to the end of a mail's data is lost: the server
   * has taken the mail, and the connection closes before its "250" reaches the sender.
   */
  public void loseRepliesToData() {
    losingReplies = true;
    closePassed();
  }

  private void closePassed() {
    passed.forEach(NetSocket::close);
    passed.clear();
  }

  /** Lets the waiting connections through, and every new one. */
  public void open() {
    holding = false;
    losingReplies = false;
    held.forEach(this::pass);
    held.clear();
  }

  private void pass(NetSocket in) {
    boolean losing = losingReplies;
    client.connect(upstreamPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      passed.add(in);
      in.closeHandler(v -> {
        passed.remove(in);
        out.close();
      });
      out.closeHandler(v -> in.close());
      if (!losing) {
        out.pipeTo(in);
        in.pipeTo(out);
        return;
      }
      boolean[] dataEnded = new boolean[1];
      StringBuilder tail = new StringBuilder();
      in.handler(buffer -> {
        tail.append(buffer.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (tail.length() > 16) {
          tail.delete(0, tail.length() - 16);
        }
        dataEnded[0] |= tail.toString().contains("\r\n.\r\n");
        out.write(buffer);
      });
      out.handler(buffer -> {
        if (dataEnded[0]) {
          out.close();
          in.close();
        } else {
          in.write(buffer);
        }
      });
      in.resume();
    });
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
