package io.orderbus.gateway;

import io.orderbus.node.Node;
import io.orderbus.support.RawHttp;
import io.orderbus.support.RawHttp.Reply;
import io.orderbus.support.RawHttp.Trickled;
import io.orderbus.support.TestNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client can hold of a gateway, over real sockets: a client that sends one byte a second is cut
 * off at the headers or body deadline, a connection past the cap is closed as it opens, and a connection
 * that says nothing is closed after the idle timeout.
 *
 * <p>The limits gateway has short deadlines (3 s) and an idle timeout (10 s) longer than them, so what cuts
 * a slow sender there can only be a deadline: one byte a second is never idle. The idle gateway is the
 * other way round (idle 1 s, deadlines 60 s), so what closes a silent connection there is the idle timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientLimitsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private static final int MAX_CONNECTIONS = 6;
  @AutoClose
  private static TestNodes nodes;
  private static int limited;
  private static int idle;

  @BeforeAll
  static void start() throws Exception {
    nodes = new TestNodes(2);
    Node node = nodes.start(0, "gateway,order,inventory,email", "httpHeaderTimeout", "PT3S", "httpBodyTimeout", "PT3S",
        "httpIdleTimeout", "PT10S", "httpMaxConnections", MAX_CONNECTIONS);
    limited = node.httpPort();
    idle = nodes.start(1, "gateway", "httpIdleTimeout", "PT1S", "httpHeaderTimeout", "PT60S",
        "httpBodyTimeout", "PT60S").httpPort();
  }

  @Test
  void aClientSendingItsHeadersOneByteASecondIsCutOffAtTheHeaderDeadline() throws Exception {
    byte[] request = RawHttp.request("GET", "/health", null, "X-Padding: " + "p".repeat(60));
    Trickled trickled = RawHttp.trickle(limited, new byte[0], request, Duration.ofSeconds(20));
    assertThat(trickled.reply().answered()).as("closed without an answer: no request to answer").isFalse();
    assertThat(trickled.sent()).as("bytes sent before the cut, of %s", request.length).isLessThan(request.length);
    // Noticed at the first or second write after the close.
    assertThat(trickled.took()).as("cut at the 3 s header deadline")
        .isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(4));
  }

  @Test
  void aClientSendingItsBodyOneByteASecondGets408AtTheBodyDeadline() throws Exception {
    byte[] body = "{\"customerEmail\":\"slow@example.com\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] head = RawHttp.request("POST", "/orders", null, "Content-Type: application/json",
        "Content-Length: " + body.length);
    Trickled trickled = RawHttp.trickle(limited, head, body, Duration.ofSeconds(20));
    assertThat(trickled.sent()).as("body bytes sent before the answer, of %s", body.length).isLessThan(body.length);
    assertThat(trickled.reply().status()).isEqualTo(408);
    assertThat(trickled.reply().body()).contains("\"error\":\"REQUEST_TIMEOUT\"");
    assertThat(trickled.reply().header("Connection")).isEqualTo("close");
    assertThat(trickled.took()).isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(4));
  }

  /**
   * A kept-alive connection that waits longer than the header deadline for its next request still serves it:
   * a pooled client connection must not be cut while its pool thinks it usable (the request sent on it at that
   * moment would get no answer). Each answer tells the client how long it may keep the connection: less than
   * the idle timeout.
   */
  @Test
  void aKeptAliveConnectionOutlivesTheHeaderDeadlineAndSaysHowLongItIsKept() throws Exception {
    byte[] request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = RawHttp.connect(limited, Duration.ofSeconds(20))) {
      socket.getOutputStream().write(request);
      Reply first = RawHttp.read(socket.getInputStream());
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Keep-Alive")).as("two thirds of the 10 s idle timeout").isEqualTo("timeout=6");
      Thread.sleep(DEADLINE.plusSeconds(2).toMillis());
      socket.getOutputStream().write(request);
      assertThat(RawHttp.read(socket.getInputStream()).status()).as("the next request, past the 3 s header deadline")
          .isEqualTo(200);
    }
  }

  @Test
  void aConnectionPastTheCapIsClosedAsItOpensAndOneFreedIsTakenAgain() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // All at once, well within the 3 s header deadline that would free places. Other tests' connections may
      // still be open: the cap counts them too, so any of these may be the one refused.
      List<Socket> opened = new ArrayList<>();
      for (int i = 0; i <= MAX_CONNECTIONS; i++) {
        opened.add(RawHttp.connect(limited, Duration.ofSeconds(5)));
      }
      Thread.sleep(300);
      Socket refused = null;
      for (Socket socket : opened) {
        if (refused == null && closedAtOnce(socket)) {
          refused = socket;
        } else {
          held.add(socket);
        }
      }
      assertThat(refused).as("one of %s connections closed as it opened", MAX_CONNECTIONS + 1).isNotNull();
      refused.close();

      held.remove(0).close();
      Thread.sleep(300);
      Reply reply = RawHttp.exchange(limited, RawHttp.request("GET", "/health", null), Duration.ofSeconds(10));
      assertThat(reply.status()).as("a freed place is taken again").isEqualTo(200);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void aConnectionThatSaysNothingIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = RawHttp.connect(idle, Duration.ofSeconds(20))) {
      long start = System.nanoTime();
      assertThat(endOf(socket.getInputStream())).as("closed by the server").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("after the 1 s idle timeout, long before 60 s")
          .isBetween(Duration.ofMillis(500), Duration.ofSeconds(10));
    }
  }

  /** Reads until the server closes; true if it did (end of stream or reset) with no answer. */
  private static boolean endOf(InputStream in) {
    try {
      return in.read() < 0;
    } catch (IOException reset) {
      return !(reset instanceof SocketTimeoutException);
    }
  }

  private static boolean closedAtOnce(Socket socket) throws IOException {
    socket.setSoTimeout(100);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
