package io.orderbus.support;

import io.orderbus.support.Api.Response;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a gateway's cap on event streams of one kind is checked: {@code max} streams open, one more refused with
 * {@code 503 TOO_MANY_STREAMS} (its message naming the cap, with {@code Retry-After}), and a place freed by a client
 * that closes taken again.
 */
public final class StreamCap {
  private StreamCap() {
  }

  /**
   * Opens {@code path} with {@code headers} until {@code max} streams are open, checks that one more (asked through
   * {@code api}) is refused, runs {@code whileFull} with that answer, closes one and waits for its place to be taken.
   * Every stream it opened is closed at the end.
   */
  public static void check(Vertx vertx, Api api, String path, Map<String, String> headers, int max, Duration settle,
                           Consumer<Response> whileFull) {
    List<EventStream> streams = new ArrayList<>();
    try {
      // A stream of another test may take a moment to be counted out after its client closed it.
      Eventually.until(settle, max + " streams open", () -> {
        opened(vertx, api.port(), path, headers, streams);
        return streams.size() == max;
      });
      Response over = api.get(path);
      assertThat(over.status()).isEqualTo(503);
      assertThat(over.json().getString("error")).isEqualTo("TOO_MANY_STREAMS");
      assertThat(over.json().getString("message")).contains(String.valueOf(max));
      assertThat(over.headers().get("Retry-After")).isNotNull();
      whileFull.accept(over);

      streams.remove(0).close();
      int left = streams.size();
      Eventually.until(settle, "a place freed is taken again",
          () -> opened(vertx, api.port(), path, headers, streams) && streams.size() > left);
    } finally {
      streams.forEach(EventStream::close);
    }
  }

  /** Opens one more stream and keeps it if it opened (200); closes it at once if not. Whether it opened. */
  private static boolean opened(Vertx vertx, int port, String path, Map<String, String> headers,
                                List<EventStream> streams) {
    try {
      EventStream stream = EventStream.open(vertx, port, path, null, headers);
      if (stream.status() == 200) {
        streams.add(stream);
        return true;
      }
      stream.close();
      return false;
    } catch (Exception e) {
      throw new IllegalStateException("no answer to " + path, e);
    }
  }
}
