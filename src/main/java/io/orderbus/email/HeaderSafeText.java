package io.orderbus.email;

/**
 * Text from a client that may end up in a mail header (a user's name is in the welcome email's subject),
 * and so must stay on one line: anything that could start a new header, or make one lie, is refused
 * rather than cleaned, so what is stored is what the client sent.
 *
 * <p>Refused: control characters (U+0000–U+001F, U+007F–U+009F, which include CR, LF and tab), the Unicode
 * line and paragraph separators (U+2028, U+2029), bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069, which make a subject read other than it is), unpaired surrogates (not text at all: what a
 * JSON {@code "\ud800"} escape decodes to), text that is empty or only whitespace, and text longer than the
 * caller's bound (in UTF-16 units, as Java and JSON count).
 */
public final class HeaderSafeText {

  private HeaderSafeText() {
  }

  /** Whether {@code value} is a String of 1 to {@code maxLength} characters by the rules above. */
  public static boolean isValid(Object value, int maxLength) {
    if (!(value instanceof String text) || text.isBlank() || text.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || isRefused(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isRefused(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }
}
