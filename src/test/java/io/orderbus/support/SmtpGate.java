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
  private volatile boolean holding;

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

  /** From now on, new connections wait. */
  public void hold() {
    holding = true;
  }

  public int held() {
    return held.size();
  }

  /** Lets the waiting connections through, and every new one. */
  public void open() {
    holding = false;
    held.forEach(this::pass);
    held.clear();
  }

  /** Cuts the waiting connections: their sends fail. */
  public void cutHeld() {
    held.forEach(NetSocket::close);
    held.clear();
  }

  private void pass(NetSocket in) {
    client.connect(upstreamPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      out.pipeTo(in);
      in.pipeTo(out);
    });
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
