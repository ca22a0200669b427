package io.orderbus.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates requests a hostile or broken client might send to the gateway, from a seed, so that a failing
 * run can be repeated exactly: every route, with bodies that are malformed, oversized, deeply nested, in the
 * wrong encoding, full of control characters or at the edges of every number; odd methods, paths, queries,
 * headers and HTTP framing. Each is raw bytes for {@link RawHttp}, one request per connection.
 *
 * <p>No request contains a word that the gateway must never show (see {@link #FORBIDDEN}), so that if one
 * turns up in an answer, the gateway wrote it, not the client.
 */
public final class HostileRequests {

  /** Words of a stack trace or class name, which no answer may contain. */
  public static final List<String> FORBIDDEN = List.of("exception", "\tat ", "java.", "javax.", "io.vertx", "io.netty",
      "com.hazelcast", "io.orderbus", "com.fasterxml", ".java:", "jackson");

  /** One generated request: its family (what kind of hostility), method, and bytes. */
  public record Hostile(int index, String family, String method, byte[] bytes) {
    /** The request as text, for a failure message: bytes outside printable ASCII escaped. */
    public String printable(int max) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < Math.min(bytes.length, max); i++) {
        int b = bytes[i] & 0xFF;
        out.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
      }
      return bytes.length > max ? out + "...(" + bytes.length + " bytes)" : out.toString();
    }
  }

  /**
   * A route of the gateway: method, path template ({id} and {sku} are filled in), whether it takes a JSON body,
   * whether it is an operator route (one that needs the admin token).
   */
  private record Route(String method, String path, boolean body, boolean operator) {
  }

  private static final List<Route> ROUTES = List.of(
      new Route("POST", "/orders", true, false), new Route("GET", "/orders/{id}", false, false),
      new Route("GET", "/orders/{id}/events", false, false), new Route("GET", "/inventory/{sku}", false, false),
      new Route("PUT", "/inventory/{sku}", true, true), new Route("GET", "/emails", false, true),
      new Route("POST", "/users", true, false), new Route("GET", "/health", false, false),
      new Route("GET", "/ready", false, false), new Route("GET", "/cluster", false, true),
      new Route("GET", "/metrics", false, true), new Route("GET", "/admin/dead-letters", false, true),
      new Route("GET", "/admin/pending", false, true), new Route("POST", "/admin/dead-letters/{id}/replay", false, true));

  private static final String[] ODD_METHODS = {"FOO", "PROPFIND", "get", "Post", "TRACE", "OPTIONS", "HEAD", "PATCH",
      "DELETE", "CONNECT", "M-SEARCH", "BREW", "X".repeat(40), "GET\u0000", "G\u00c9T", "PUT "};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
      "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
      "application/json, text/plain", "", "application/" + "j".repeat(300), "application/xml", "*/*"};
  private static final String[] NUMBERS = {"0", "-0", "1", "-1", "0.0", "1.5", "1e0", "1e2", "10000", "10001", "99999",
      "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "99999999999999999999999999", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324", "NaN", "Infinity", "-Infinity",
      "0x10", "01", "+1", "1.", ".5", "1e", "--1"};
  private static final String[] STRINGS = {"", " ", "a", "book", "pen", "laptop", "mug", "ada@example.com", "a@b.co",
      "a,b@example.com", "<a@example.com>", "a@example.com\r\nBcc: e@example.com", "\u0000", "\u001b[31m", "\u2028",
      "\u202e", "\ud800", "\udfff", "\uffff", "\ufeff", "caf\u00e9", "\ud83d\ude00", "'; DROP TABLE stock; --",
      "<script>alert(1)</script>", "../../etc/passwd", "%s%s%n", "${jndi:ldap://x/a}", "{{7*7}}", "null", "true"};

  private final Random random;
  private final Supplier<List<String>> knownIds;
  private final String adminToken;

  /** @param knownIds ids of real orders, so that some requests hit them rather than only unknown ones */
  public HostileRequests(long seed, Supplier<List<String>> knownIds, String adminToken) {
    this.random = new Random(seed);
    this.knownIds = knownIds;
    this.adminToken = adminToken;
  }

  /** The next {@code count} requests (never one with a {@link #FORBIDDEN} word). */
  public List<Hostile> next(int count) {
    List<Hostile> out = new ArrayList<>();
    while (out.size() < count) {
      Hostile hostile = one(out.size());
      String text = new String(hostile.bytes(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      if (FORBIDDEN.stream().noneMatch(text::contains)) {
        out.add(hostile);
      }
    }
    return out;
  }

  private Hostile one(int index) {
    Route route = pick(ROUTES);
    int family = random.nextInt(100);
    if (family < 30 && route.body()) {
      return body(index, route);
    }
    if (family < 45) {
      return query(index, route);
    }
    if (family < 60) {
      return path(index, route);
    }
    if (family < 72) {
      return headers(index, route);
    }
    if (family < 82) {
      return method(index, route);
    }
    if (family < 92) {
      return framing(index, route);
    }
    return junk(index);
  }

  /** A JSON route with a body that is wrong in content, form, size or encoding. */
  private Hostile body(int index, Route route) {
    byte[] body = switch (random.nextInt(8)) {
      case 0 -> utf8(orderLike());
      case 1 -> utf8(signUpLike());
      case 2 -> utf8(nested(1 + random.nextInt(20_000)));
      case 3 -> utf8(randomJson(4));
      case 4 -> malformed(orderLike());
      case 5 -> utf8(orderLike().repeat(1 + random.nextInt(3)) + "x".repeat(random.nextInt(2) * 70_000));
      case 6 -> utf8("{\"available\":" + pick(NUMBERS) + "}");
      default -> encoded(orderLike());
    };
    String type = random.nextInt(4) == 0 ? pick(CONTENT_TYPES) : "application/json";
    List<String> headers = new ArrayList<>();
    if (!type.isEmpty()) {
      headers.add("Content-Type: " + type);
    }
    maybeIdempotencyKey(headers);
    return new Hostile(index, "body", route.method(), RawHttp.request(route.method(), target(route, ""), body,
        lines(route, headers.toArray(String[]::new))));
  }

  /** A route with odd query parameters: modes, limits, page tokens, recipients, repeated or badly encoded. */
  private Hostile query(int index, Route route) {
    String[] params = {"mode=" + pick("sync", "async", "SYNC", "", "later", "%zz", "x".repeat(3000), "sync%00"),
        "limit=" + pick(NUMBERS), "after=" + pick("", "abc", "eyJhdCI6MSwia2V5IjoieCJ9", "%zz", "=".repeat(50), "x".repeat(2000)),
        "to=" + pick("ada@example.com", "a%2Cb@example.com", "%3Ca@b.co%3E", "a%0D%0Ab@c.co", "", "%zz", "x".repeat(300)),
        "mode=sync&mode=async", "%zz=1", "a=%", "=", "&&&", "limit=1&limit=2", "to=a@b.co&to=c@d.co"};
    String query = "?" + pick(params) + (random.nextBoolean() ? "&" + pick(params) : "");
    return simple(index, "query", route, query);
  }

  /** A route with an odd id, SKU or path around it. */
  private Hostile path(int index, Route route) {
    String target = switch (random.nextInt(10)) {
      case 0 -> "//orders";
      case 1 -> "/orders/../admin/pending";
      case 2 -> "/orders/%2e%2e/admin";
      case 3 -> "/" + "a/".repeat(1 + random.nextInt(3000));
      case 4 -> "/orders/" + percent(randomText(1 + random.nextInt(300)));
      case 5 -> "/inventory/" + percent(randomText(1 + random.nextInt(100)));
      case 6 -> "/orders/%00";
      case 7 -> "*";
      case 8 -> "http://127.0.0.1/orders";
      default -> target(route, "").replace("/", random.nextBoolean() ? "/./" : "/%2F");
    };
    return new Hostile(index, "path", route.method(), RawHttp.request(route.method(), target,
        route.body() ? utf8(orderLike()) : null, lines(route, route.body() ? "Content-Type: application/json" : null)));
  }

  /** A route with headers that are odd, oversized, malformed or repeated. */
  private Hostile headers(int index, Route route) {
    List<String> headers = new ArrayList<>();
    switch (random.nextInt(9)) {
      case 0 -> headers.add("X-Big: " + "b".repeat(8000 + random.nextInt(4000)));
      case 1 -> headers.add("No colon here");
      case 2 -> headers.add("Bad Name: x");
      case 3 -> headers.addAll(List.of("X-Folded: a", " continued"));
      case 4 -> {
        for (int i = 0; i < 300; i++) {
          headers.add("X-" + i + ": " + i);
        }
      }
      case 5 -> headers.add("Authorization: " + pick("Bearer", "Bearer ", "Bearer wrong", "Basic YTpi", "Bearer " + adminToken,
          "Bearer " + "t".repeat(5000), "bearer " + adminToken, "Bearer " + adminToken + "\u00e9"));
      case 6 -> headers.add("Last-Event-ID: " + pick("-1", "0", "1", "999999999999", "soon", "", "2147483647", "1 2"));
      case 7 -> headers.add("Expect: 100-continue");
      default -> headers.add("X-Control: a\u0001b\u007fc\u00ffd");
    }
    if (route.body()) {
      headers.add("Content-Type: application/json");
    }
    maybeIdempotencyKey(headers);
    return new Hostile(index, "headers", route.method(), RawHttp.request(route.method(), target(route, ""),
        route.body() ? utf8(orderLike()) : null, lines(route, headers.toArray(String[]::new))));
  }

  /** A route's path with a method it does not take, or none HTTP knows. */
  private Hostile method(int index, Route route) {
    String method = pick(ODD_METHODS);
    return new Hostile(index, "method", method, RawHttp.request(method, target(route, ""), null, lines(route)));
  }

  /**
   * A route with broken HTTP framing: lengths that lie, chunks that do not add up, odd versions. Broken chunks
   * are family {@code chunks}: the request has begun (its headers were fine) when its body turns out unreadable,
   * and there is no telling where it would end, so the server may close without an answer.
   */
  private Hostile framing(int index, Route route) {
    byte[] body = utf8(orderLike());
    String target = target(route, "");
    int kind = random.nextInt(8);
    byte[] bytes = switch (kind) {
      // Announces more than it sends: the server waits for the rest until the body deadline.
      case 0 -> RawHttp.request(route.method(), target, body, lines(route, "Content-Type: application/json",
          "Content-Length: " + (body.length + 1 + random.nextInt(50))));
      case 1 -> RawHttp.request(route.method(), target, body, lines(route, "Content-Type: application/json",
          "Content-Length: " + pick("-1", "abc", "99999999999999999999", "1, 2", "")));
      case 2 -> RawHttp.request(route.method(), target, chunked(body, "zz"), lines(route, "Content-Type: application/json",
          "Transfer-Encoding: chunked"));
      case 3 -> RawHttp.request(route.method(), target, chunked(body, null), lines(route, "Content-Type: application/json",
          "Transfer-Encoding: chunked", "Content-Length: 5"));
      case 4 -> RawHttp.request(route.method(), target, body, lines(route, "Content-Type: application/json",
          "Transfer-Encoding: " + pick("gzip", "identity", "chunked, gzip", "x")));
      case 5 -> utf8(route.method() + " " + target + " HTTP/" + pick("1.0", "2.0", "9.9", "1.1.1", "") + "\r\nHost: x\r\n\r\n");
      case 6 -> utf8(route.method() + " " + target + "\r\n\r\n");
      default -> RawHttp.request(route.method(), target, body, lines(route, "Content-Type: application/json",
          "Content-Length: " + body.length, "Content-Length: " + (body.length + 3)));
    };
    return new Hostile(index, kind == 2 || kind == 4 ? "chunks" : "framing", route.method(), bytes);
  }

  /** Bytes that are not HTTP at all. */
  private Hostile junk(int index) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (random.nextBoolean()) {
      byte[] bytes = new byte[1 + random.nextInt(2000)];
      random.nextBytes(bytes);
      out.writeBytes(bytes);
    } else {
      out.writeBytes(utf8(randomText(1 + random.nextInt(200))));
    }
    // Ended as a request would be, so that the server has something to answer rather than wait for.
    out.writeBytes(utf8("\r\n\r\n"));
    return new Hostile(index, "junk", "?", out.toByteArray());
  }

  private Hostile simple(int index, String family, Route route, String query) {
    return new Hostile(index, family, route.method(), RawHttp.request(route.method(), target(route, query),
        route.body() ? utf8(orderLike()) : null, lines(route, route.body() ? "Content-Type: application/json" : null)));
  }

  /**
   * Header lines (nulls left out), and on two requests in three to an operator route the admin token, unless one
   * of the lines is an {@code Authorization} of its own: without it, every request there would stop at the
   * token's check, and what the route does with its input would go untried.
   */
  private String[] lines(Route route, String... lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (line != null) {
        out.add(line);
      }
    }
    boolean ownAuthorization = out.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("authorization:"));
    if (route.operator() && !ownAuthorization && random.nextInt(3) != 0) {
      out.add("Authorization: Bearer " + adminToken);
    }
    return out.toArray(String[]::new);
  }

  private void maybeIdempotencyKey(List<String> headers) {
    if (random.nextInt(3) == 0) {
      headers.add("Idempotency-Key: " + pick("", " ", "k", "k".repeat(255), "k".repeat(256), "a b", "tab\there",
          "caf\u00e9", "\u0001", "~!@#$%^&*()_+{}|:\"<>?", "key-" + random.nextInt(20)));
      if (random.nextInt(5) == 0) {
        headers.add("Idempotency-Key: other");
      }
    }
  }

  private String target(Route route, String query) {
    List<String> ids = knownIds.get();
    String id = !ids.isEmpty() && random.nextBoolean() ? ids.get(random.nextInt(ids.size()))
        : pick("does-not-exist", "00000000-0000-0000-0000-000000000000", "x".repeat(200), "email:order-x", "-1");
    return route.path().replace("{id}", id).replace("{sku}", pick("book", "pen", "no-such", "A_b.c-9", "x".repeat(64),
        "x".repeat(65), "%20", "%2F", "caf%C3%A9")) + query;
  }

  private String orderLike() {
    StringBuilder items = new StringBuilder("[");
    int n = random.nextInt(10) == 0 ? 101 + random.nextInt(50) : random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.append(i == 0 ? "" : ",").append("{\"sku\":").append(value(pick("book", "pen", "no-such-sku", "")))
          .append(",\"quantity\":").append(random.nextInt(3) == 0 ? randomJson(1) : pick(NUMBERS)).append('}');
    }
    items.append(']');
    Object email = random.nextInt(3) == 0 ? randomJson(1) : value(pick(STRINGS));
    return "{\"customerEmail\":" + email + ",\"items\":" + (random.nextInt(6) == 0 ? randomJson(2) : items) + "}";
  }

  private String signUpLike() {
    return "{\"email\":" + (random.nextInt(4) == 0 ? randomJson(1) : value(pick(STRINGS))) + ",\"name\":"
        + (random.nextInt(4) == 0 ? randomJson(1) : value(pick(STRINGS) + pick("", "x".repeat(195), "x".repeat(300)))) + "}";
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private String randomJson(int depth) {
    int kind = random.nextInt(depth <= 0 ? 4 : 6);
    return switch (kind) {
      case 0 -> pick(NUMBERS);
      case 1 -> value(pick(STRINGS));
      case 2 -> pick("true", "false", "null");
      case 3 -> value(randomText(random.nextInt(40)));
      case 4 -> "[" + randomJson(depth - 1) + "," + randomJson(depth - 1) + "]";
      default -> "{" + value(pick(STRINGS)) + ":" + randomJson(depth - 1) + ",\"items\":" + randomJson(depth - 1) + "}";
    };
  }

  /** A JSON body broken on the way: cut short, with garbage around it, single quotes, a NUL. */
  private byte[] malformed(String json) {
    return switch (random.nextInt(6)) {
      case 0 -> utf8(json.substring(0, random.nextInt(Math.max(1, json.length()))));
      case 1 -> utf8(json + pick("}", "]", ",", "garbage", "\u0000"));
      case 2 -> utf8(json.replace('"', '\''));
      case 3 -> utf8("/* comment */" + json);
      case 4 -> utf8(json.replace(":", ":\u0000"));
      default -> utf8("\ufeff" + json);
    };
  }

  /** A JSON body in an encoding other than UTF-8, or with bytes no UTF-8 has. */
  private byte[] encoded(String json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(4)) {
      case 0 -> out.writeBytes(json.getBytes(StandardCharsets.UTF_16));
      case 1 -> out.writeBytes(json.getBytes(StandardCharsets.ISO_8859_1));
      case 2 -> {
        byte[] bytes = utf8(json);
        out.write(bytes, 0, bytes.length / 2);
        out.writeBytes(new byte[]{(byte) 0xC0, (byte) 0x80, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
      }
      default -> out.writeBytes(utf8("{\"customerEmail\":\"caf\u00e9@example.com\",\"items\":[{\"sku\":\"b\u00f6\u00f6k\",\"quantity\":1}]}"));
    }
    return out.toByteArray();
  }

  private static byte[] chunked(byte[] body, String badSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8((badSize != null ? badSize : Integer.toHexString(body.length)) + "\r\n"));
    out.writeBytes(body);
    out.writeBytes(utf8("\r\n0\r\n\r\n"));
    return out.toByteArray();
  }

  private String randomText(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      out.append(kind < 6 ? (char) (0x20 + random.nextInt(0x5F)) : kind < 8 ? (char) random.nextInt(0x20)
          : (char) random.nextInt(0x10000));
    }
    return out.toString();
  }

  /** A JSON string literal of {@code text}, every character escaped, so that any of them reaches the parser. */
  private static String value(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 || c > 0x7E || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  private static String percent(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      out.append(Character.isLetterOrDigit(c) && c < 0x80 ? String.valueOf((char) c) : String.format("%%%02X", c));
    }
    return out.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
