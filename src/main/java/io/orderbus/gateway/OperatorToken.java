package io.orderbus.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin token as the operator routes check it: an {@code Authorization: Bearer <token>} header whose token is,
 * byte for byte, the UTF-8 form of the configured one. The comparison takes the same time wherever the bytes
 * differ, so that timing tells a guesser nothing.
 */
final class OperatorToken {
  private static final String SCHEME = "Bearer ";

  /** What a request presents: no bearer token, a wrong one, or the admin token. */
  enum Verdict { MISSING, WRONG, RIGHT }

  private final byte[] expected;

  OperatorToken(String adminToken) {
    this.expected = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** The verdict on an {@code Authorization} header's value as the server read it (null if none was sent). */
  Verdict check(String authorization) {
    // The scheme is case-insensitive (RFC 9110, 11.1); another scheme, or none, presents no bearer token.
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Verdict.MISSING;
    }
    // The HTTP server reads each byte of a header as one character (ISO-8859-1), so this gives back the bytes the
    // client sent: a token that is not ASCII matches when sent in UTF-8, as curl and Prometheus send a file's bytes.
    byte[] presented = authorization.substring(SCHEME.length()).getBytes(StandardCharsets.ISO_8859_1);
    return MessageDigest.isEqual(presented, expected) ? Verdict.RIGHT : Verdict.WRONG;
  }
}
