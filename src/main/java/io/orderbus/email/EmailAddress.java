package io.orderbus.email;

/**
 * What an address must look like to be mailed to: the part of RFC 5321 that people actually type, checked
 * before anything is stored, so that a bad address is a {@code 400} at the door rather than an SMTP failure
 * later (which would also count against the email circuit of every order node).
 *
 * <ul>
 *   <li>At most {@value #MAX_LENGTH} characters in all (RFC 5321's 256-octet path less its angle brackets),
 *       printable ASCII only: no control characters, spaces or non-ASCII letters (an internationalized domain
 *       is written in its {@code xn--} form; SMTPUTF8 mailboxes are not supported).</li>
 *   <li>Exactly one {@code @}.</li>
 *   <li>Local part: 1–{@value #MAX_LOCAL} characters, dot-separated atoms of letters, digits and
 *       {@code # $ & ' * + / = ? ^ _ ` { | } ~ -}; no empty atom (no leading, trailing or doubled dot). Quoted
 *       local parts are refused, and so are {@code %} and {@code !}, which old relays read as routes to
 *       another host. So commas, angle brackets, quotes, parentheses and semicolons never get in: nothing that
 *       could make one address into two, or into a header.</li>
 *   <li>Domain: at least two dot-separated labels of 1–63 letters, digits and {@code -}, not starting or
 *       ending with {@code -}; no empty label (no leading, trailing or doubled dot); a top-level label that
 *       is not all digits. Address literals ({@code [192.0.2.1]}) are refused.</li>
 * </ul>
 */
public final class EmailAddress {
  public static final int MAX_LENGTH = 254;
  static final int MAX_LOCAL = 64;
  private static final int MAX_LABEL = 63;
  private static final String LOCAL_SYMBOLS = "#$&'*+/=?^_`{|}~-";

  /** What the API says when an address is refused. */
  public static final String RULE = "an email address such as ada@example.com (at most " + MAX_LENGTH
      + " characters of ASCII letters, digits and . _ + - and the like; no spaces, commas or angle brackets)";

  private EmailAddress() {
  }

  /** Whether {@code value} is a String and an address by the rules above. */
  public static boolean isValid(Object value) {
    if (!(value instanceof String address) || address.length() > MAX_LENGTH) {
      return false;
    }
    int at = address.indexOf('@');
    if (at < 0 || at != address.lastIndexOf('@')) {
      return false;
    }
    return isLocalPart(address.substring(0, at)) && isDomain(address.substring(at + 1));
  }

  private static boolean isLocalPart(String local) {
    if (local.isEmpty() || local.length() > MAX_LOCAL) {
      return false;
    }
    for (String atom : local.split("\\.", -1)) {
      if (atom.isEmpty() || !atom.chars().allMatch(c -> isAsciiLetterOrDigit(c) || LOCAL_SYMBOLS.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDomain(String domain) {
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")
          || !label.chars().allMatch(c -> isAsciiLetterOrDigit(c) || c == '-')) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean isAsciiLetterOrDigit(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
