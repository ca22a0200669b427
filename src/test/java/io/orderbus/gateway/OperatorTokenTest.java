package io.orderbus.gateway;

import io.orderbus.gateway.OperatorToken.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin token's check, on header values as the HTTP server hands them over (one character per byte sent). */
class OperatorTokenTest {
  private final OperatorToken ascii = new OperatorToken("s3cret-token");

  @Test
  void onlyABearerTokenIsAToken() {
    assertThat(ascii.check(null)).isEqualTo(Verdict.MISSING);
    assertThat(ascii.check("")).isEqualTo(Verdict.MISSING);
    assertThat(ascii.check("Bearer")).isEqualTo(Verdict.MISSING);
    assertThat(ascii.check("Bearer ")).isEqualTo(Verdict.MISSING);
    assertThat(ascii.check("s3cret-token")).isEqualTo(Verdict.MISSING);
    assertThat(ascii.check("Basic czNjcmV0LXRva2Vu")).isEqualTo(Verdict.MISSING);
  }

  @Test
  void theTokenMustMatchExactly() {
    assertThat(ascii.check("Bearer s3cret-token")).isEqualTo(Verdict.RIGHT);
    assertThat(ascii.check("bearer s3cret-token")).as("the scheme is case-insensitive").isEqualTo(Verdict.RIGHT);
    assertThat(ascii.check("Bearer S3CRET-TOKEN")).isEqualTo(Verdict.WRONG);
    assertThat(ascii.check("Bearer s3cret-toke")).isEqualTo(Verdict.WRONG);
    assertThat(ascii.check("Bearer s3cret-token2")).isEqualTo(Verdict.WRONG);
    assertThat(ascii.check("Bearer  s3cret-token")).isEqualTo(Verdict.WRONG);
  }

  @Test
  void aTokenBeyondAsciiIsComparedByItsUtf8Bytes() {
    OperatorToken accented = new OperatorToken("cl\u00e9-\u00fcber");
    assertThat(accented.check("Bearer " + sentAsUtf8("cl\u00e9-\u00fcber"))).isEqualTo(Verdict.RIGHT);
    // Not one byte per character (ISO-8859-1), and never a '?' for each character a narrower charset lacks.
    assertThat(accented.check("Bearer cl\u00e9-\u00fcber")).isEqualTo(Verdict.WRONG);
    assertThat(accented.check("Bearer cl?-?ber")).isEqualTo(Verdict.WRONG);
    assertThat(accented.check("Bearer " + sentAsUtf8("cl\u00e8-\u00fcber"))).isEqualTo(Verdict.WRONG);
  }

  /** The header value the server reads when a client sends {@code token} in UTF-8. */
  private static String sentAsUtf8(String token) {
    return new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
