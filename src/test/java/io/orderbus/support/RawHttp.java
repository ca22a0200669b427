package io.orderbus.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests no HTTP client would send (broken request lines,
 * bytes that are not UTF-8, duplicate or malformed headers, bodies shorter than announced) and for clients
 * that send slowly. One request per connection; the answer is read up to its end (by {@code Content-Length},
 * chunks, or the server closing), or only its head for an event stream.
 */
public final class RawHttp {

  /**
   * What came back: {@code status} 0 if the server closed the connection without answering. Header names
   * are lower case; a repeated header keeps its last value.
   */
  public record Reply(int status, Map<String, String> headers, String body) {
    public boolean answered() {
      return status != 0;
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {
  }

  /**
   * A request as bytes: the request line, {@code Host} and {@code Connection: close}, the given header lines
   * (each "Name: value", sent as ISO-8859-1, so any byte can be put in), {@code Content-Length} if a body is
   * given and no header names one, then the body.
   */
  public static byte[] request(String method, String target, byte[] body, String... headerLines) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    boolean lengthGiven = false;
    for (String line : headerLines) {
      head.append(line).append("\r\n");
      String lower = line.toLowerCase(Locale.ROOT);
      lengthGiven |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
    }
    if (body != null && !lengthGiven) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** Sends {@code request} at once and reads the answer, waiting at most {@code timeout} for each read. */
  public static Reply exchange(int port, byte[] request, Duration timeout) throws IOException {
    try (Socket socket = connect(port, timeout)) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading everything (a body over the limit): read what it said.
      }
      return read(socket.getInputStream());
    }
  }

  /**
   * A slow client: what it got to send of {@code slowly}, how long until the server answered or closed, and
   * the answer (status 0 if the server closed without one).
   */
  public record Trickled(int sent, Duration took, Reply reply) {
  }

  /**
   * Sends {@code atOnce}, then {@code slowly} one byte a second, until the server answers or closes the
   * connection, or {@code atMost} has passed (then the reply is read with that much more time).
   */
  public static Trickled trickle(int port, byte[] atOnce, byte[] slowly, Duration atMost) throws Exception {
    try (Socket socket = connect(port, atMost)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(atOnce);
      out.flush();
      long start = System.nanoTime();
      int sent = 0;
      try {
        while (sent < slowly.length && in.available() == 0 && System.nanoTime() - start < atMost.toNanos()) {
          out.write(slowly[sent]);
          out.flush();
          sent++;
          Thread.sleep(1000);
        }
      } catch (IOException closed) {
        // The server closed: a write after that fails (at the latest the second one). What it said is read below.
      }
      Reply reply = read(in);
      return new Trickled(sent, Duration.ofNanos(System.nanoTime() - start), reply);
    }
  }

  public static Socket connect(int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
    socket.setSoTimeout((int) timeout.toMillis());
    return socket;
  }

  /** Reads one answer; status 0 if the connection ends (or is reset) before a status line. */
  public static Reply read(InputStream in) throws IOException {
    String statusLine;
    try {
      statusLine = line(in);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return new Reply(0, Map.of(), "");
    }
    if (statusLine == null) {
      return new Reply(0, Map.of(), "");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = line(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    if (status >= 100 && status < 200) {
      // An interim answer (100 Continue): the real one follows.
      return read(in);
    }
    String type = headers.getOrDefault("content-type", "");
    byte[] body;
    if (type.startsWith("text/event-stream") || status == 204 || status == 304) {
      body = new byte[0];
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunks(in);
    } else {
      body = readToEnd(in);
    }
    return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] chunks(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String size;
    while ((size = line(in)) != null && !size.isEmpty()) {
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        break;
      }
      out.writeBytes(in.readNBytes(n));
      line(in);
    }
    return out.toByteArray();
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** One CRLF-terminated line as ISO-8859-1, null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = out.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      out.write(b);
    }
    return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }
}
