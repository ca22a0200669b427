package io.orderbus.email;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The addresses {@link EmailAddress} lets through, and the ones it keeps out (each for one of its rules). */
class EmailAddressTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "ada@example.com", "a@b.co", "Ada.Lovelace@Example.COM", "o'brien@example.ie", "first+tag@example.com",
      "x_y-z@sub.domain.example", "a#b$c&d*e/f=g?h^i`j{k|l}m~n@example.com", "user@xn--mller-kva.de",
      "1234@123.example.org", "a@b-c.io"})
  void addressesPeopleTypeAreAccepted(String address) {
    assertThat(EmailAddress.isValid(address)).as(address).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "plain", "@example.com", "ada@", "ada@@example.com", "a@b@example.com",
      // separators that make one address into two, or into a header
      "a,b@example.com", "ada@example.com,eve@example.com", "<ada@example.com>", "Ada <ada@example.com>",
      "a>b@example.com", "a;b@example.com", "\"ada\"@example.com", "a(b)@example.com", "a b@example.com",
      // control characters and line breaks
      "ada\r\nBcc: eve@example.com@example.com", "ada@example.com\r\nBcc: eve@example.com", "a\u0000@example.com",
      "a\tb@example.com", "ada@exam\u007Fple.com", "ada@example.com\n",
      // empty atoms and labels
      ".ada@example.com", "ada.@example.com", "a..b@example.com", "ada@.example.com", "ada@example.com.",
      "ada@example..com", "ada@example",
      // labels out of form
      "ada@-example.com", "ada@example-.com", "ada@exa_mple.com", "ada@example.123", "ada@[192.0.2.1]",
      // routing characters old relays honour
      "ada%example.org@example.com", "host!ada@example.com",
      // not ASCII
      "jos\u00e9@example.com", "ada@m\u00fcller.de", "ada@example.\u0441om"})
  void everythingElseIsRefused(String address) {
    assertThat(EmailAddress.isValid(address)).as("%s", address).isFalse();
  }

  @Test
  void lengthsAreBoundedByRfc5321() {
    String local = "l".repeat(64);
    String longest = local + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(61);
    assertThat(longest).hasSize(EmailAddress.MAX_LENGTH);
    assertThat(EmailAddress.isValid(longest)).isTrue();
    assertThat(EmailAddress.isValid(longest + "f")).as("255 characters in all").isFalse();
    assertThat(EmailAddress.isValid("l" + local + "@example.com")).as("local part over 64").isFalse();
    assertThat(EmailAddress.isValid("a@" + "d".repeat(64) + ".com")).as("label over 63").isFalse();
  }

  @Test
  void onlyStringsAreAddresses() {
    assertThat(EmailAddress.isValid(null)).isFalse();
    assertThat(EmailAddress.isValid(42)).isFalse();
  }
}
