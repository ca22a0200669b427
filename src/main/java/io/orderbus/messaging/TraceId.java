package io.orderbus.messaging;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one id a client request goes by on every hop: read from a W3C {@code traceparent} (its trace-id) or an
 * {@code X-Request-Id}, or made here. What comes from outside is checked before it is used anywhere: a header
 * value ends up in response headers, event-bus headers, stored entries and every log line, so a value that could
 * break a line, a header or a log parser is never taken, nor repeated back.
 */
public final class TraceId {
  /** Longest {@code X-Request-Id} taken; a longer one is replaced. */
  public static final int MAX_LENGTH = 64;
  private static final HexFormat HEX = HexFormat.of();

  private TraceId() {
  }

  /**
   * The trace-id of a {@code traceparent} header ({@code 00-<32 hex>-<16 hex>-<2 hex>}, lower case, as W3C Trace
   * Context level 1 writes it; a later version may append fields), or null if it is not one: wrong form, version
   * {@code ff}, or an all-zero trace-id or parent-id.
   */
  public static String fromTraceparent(String header) {
    if (header == null || header.length() < 55 || (header.length() > 55 && header.charAt(55) != '-')
        || header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
      return null;
    }
    if (!lowerHex(header, 0, 2) || header.startsWith("ff") || !lowerHex(header, 3, 35) || !lowerHex(header, 36, 52)
        || !lowerHex(header, 53, 55) || (header.startsWith("00") && header.length() != 55)) {
      return null;
    }
    if (zeros(header, 3, 35) || zeros(header, 36, 52)) {
      return null;
    }
    return header.substring(3, 35);
  }

  /**
   * The {@code traceparent} header as it may be repeated back: its first 55 characters (version 00's fields), or
   * null if {@link #fromTraceparent} refuses it.
   */
  public static String normalTraceparent(String header) {
    return fromTraceparent(header) == null ? null : header.substring(0, 55);
  }

  /**
   * {@code header} if it may serve as a request id: 1 to {@link #MAX_LENGTH} characters out of letters, digits and
   * {@code - _ . : + / =} (UUIDs, hex, base64 and most generators' ids); otherwise null.
   */
  public static String fromRequestId(String header) {
    if (header == null || header.isEmpty() || header.length() > MAX_LENGTH) {
      return null;
    }
    for (int i = 0; i < header.length(); i++) {
      if (!safe(header.charAt(i))) {
        return null;
      }
    }
    return header;
  }

  /** A new id: 32 random lower-case hex digits, so it is a valid W3C trace-id too. */
  public static String fresh() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    // The low bit set: never the all-zero trace-id W3C forbids.
    return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong() | 1);
  }

  private static boolean safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=';
  }

  private static boolean lowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
