package io.orderbus.messaging;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Where a page of a list ended: the sort time and key of its last item. Lists are sorted by (time, key), so
 * the next page starts strictly after it, however many items were added or removed meanwhile: no item is
 * listed twice, and none that stayed is skipped. Clients see it as an opaque token ({@code next}, sent back as
 * {@code ?after=}); a token they made up is refused, never trusted.
 */
public record PageCursor(long at, String key) {
  /** A key is an id of ours (an event or mail key): longer than this is not a token we wrote. */
  private static final int MAX_TOKEN = 1024;

  public String encode() {
    String json = new JsonObject().put("at", at).put("key", key).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in {@code token}, or null for none; throws {@link IllegalArgumentException} for a token we did not write. */
  public static PageCursor decode(String token) {
    if (token == null) {
      return null;
    }
    try {
      if (token.length() > MAX_TOKEN) {
        throw new IllegalArgumentException("too long");
      }
      JsonObject json = new JsonObject(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      if (!(json.getValue("at") instanceof Number at) || !(json.getValue("key") instanceof String key)) {
        throw new IllegalArgumentException("not a cursor");
      }
      return new PageCursor(at.longValue(), key);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("after must be the 'next' token of a previous page", e);
    }
  }

  /**
   * One page out of {@code fetched}, which was asked for {@code limit + 1} items: the first {@code limit},
   * and the cursor after the last of them if there was more, else null.
   */
  public static <T> Page<T> page(List<T> fetched, int limit, Function<T, PageCursor> cursorOf) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = List.copyOf(fetched.subList(0, limit));
    return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
  }

  /** @param next the token of the following page, null on the last page */
  public record Page<T>(List<T> items, String next) {
  }
}
