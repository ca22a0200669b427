package io.orderbus.email;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Text that may stand in a mail header: one line, no control characters, bounded. */
class HeaderSafeTextTest {

  @ParameterizedTest
  @ValueSource(strings = {"Ada", "Ada Lovelace", "Zo\u00eb O'Brien-Smith", "\u674e\u5c0f\u9f99", "\u0645\u062d\u0645\u062f",
      "Family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "a"})
  void namesAreAccepted(String name) {
    assertThat(HeaderSafeText.isValid(name, 200)).as(name).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "Ada\r\nBcc: eve@example.com", "Ada\nX", "Ada\rX", "A\u0000da", "A\u001bda",
      "A\u007Fda", "A\u0085da", "A\u2028da", "A\u2029da", "A\u202Eda", "A\u2066da", "A\uD800da", "Ada\uDC00",
      "\uDBFF"})
  void controlCharactersLineBreaksAndBrokenTextAreRefused(String text) {
    assertThat(HeaderSafeText.isValid(text, 200)).as("%s", text.chars().mapToObj(Integer::toHexString).toList()).isFalse();
  }

  @Test
  void theLengthIsBounded() {
    assertThat(HeaderSafeText.isValid("x".repeat(200), 200)).isTrue();
    assertThat(HeaderSafeText.isValid("x".repeat(201), 200)).isFalse();
  }

  @Test
  void onlyStringsAreText() {
    assertThat(HeaderSafeText.isValid(null, 200)).isFalse();
    assertThat(HeaderSafeText.isValid(7, 200)).isFalse();
  }
}
