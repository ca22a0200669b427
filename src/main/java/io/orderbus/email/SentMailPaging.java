package io.orderbus.email;

import com.hazelcast.query.Predicate;
import io.orderbus.messaging.PageCursor;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.Map;

/**
 * How {@code GET /emails} pages the cluster's sent mail where it lives: oldest first (by {@code sentAt}, then
 * key), only sent emails (not claims or cancellations), of one recipient if asked. Both run on the members
 * holding the entries, so they are classes of this jar, serializable, and read the stored JSON themselves.
 */
final class SentMailPaging {

  private SentMailPaging() {
  }

  /** Sent emails (to {@code to} if not null) after {@code after} (from the first if null). */
  record After(String to, Long afterAt, String afterKey) implements Predicate<String, String> {
    private static final long serialVersionUID = 1L;

    static After of(String to, PageCursor after) {
      return new After(to, after == null ? null : after.at(), after == null ? null : after.key());
    }

    @Override
    public boolean apply(Map.Entry<String, String> entry) {
      if (to != null && !entry.getKey().startsWith(to + "/")) {
        return false;
      }
      Object sentAt = new JsonObject(entry.getValue()).getValue("sentAt");
      if (!(sentAt instanceof Number at)) {
        return false;
      }
      if (afterAt == null) {
        return true;
      }
      int byTime = Long.compare(at.longValue(), afterAt);
      return byTime > 0 || (byTime == 0 && entry.getKey().compareTo(afterKey) > 0);
    }
  }

  /** Oldest first, then by key: the order {@link After} pages in. */
  static final class OldestFirst implements Comparator<Map.Entry<String, String>>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
      int byTime = Long.compare(sentAt(a), sentAt(b));
      return byTime != 0 ? byTime : a.getKey().compareTo(b.getKey());
    }

    private static long sentAt(Map.Entry<String, String> entry) {
      return new JsonObject(entry.getValue()).getLong("sentAt", 0L);
    }
  }
}
