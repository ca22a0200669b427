package io.orderbus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * An open loop of HTTP POSTs: request {@code i} is due at {@code start + i / rate} and leaves then,
 * whatever the earlier answers do. A closed loop slows down with the server (its clients wait for their
 * answers), so it can never offer more than the server takes; a spike is an open loop.
 *
 * <p>Latency is measured from each request's <em>intended</em> send time, so time a request spent waiting
 * to leave (a busy event loop, no free connection) counts as the server's delay, not as nothing
 * (no coordinated omission). Runs on one event loop; a 1 ms timer sends whatever is due.
 */
public final class OpenLoad {
  private static final long MAX_MICROS = 600_000_000L;

  /**
   * What one run saw. {@code outcomes} counts answers by status, errors by status and error code
   * ({@code "503 BACKLOG_FULL"}), and requests without an answer by exception ({@code "no answer ..."}).
   * {@code accepted} holds the {@code id} of every 2xx answer, in answer order, and {@code acceptedAtMillis}
   * when each arrived ({@link System#currentTimeMillis()}, the clock the nodes' timelines use on this machine).
   * {@code maxLagMicros} is how late the generator itself sent a request: if it is large, the schedule was not kept.
   */
  public record Result(double rate, Duration duration, int sent, long startedAt, long nanos, Histogram latencyMicros,
                       Histogram acceptedMicros, Map<String, Integer> outcomes, List<String> accepted,
                       Map<String, Long> acceptedAtMillis, long maxLagMicros) {

    /** When the schedule ended (the last request's intended time), on {@link System#nanoTime()}'s clock. */
    public long scheduleEnd() {
      return startedAt + duration.toNanos();
    }

    public int status(int code) {
      return outcomes.entrySet().stream().filter(e -> e.getKey().split(" ")[0].equals(String.valueOf(code)))
          .mapToInt(Map.Entry::getValue).sum();
    }

    /** Answers that were not 2xx, and requests without an answer. */
    public int failed() {
      return sent - (int) acceptedMicros.getTotalCount();
    }

    /** Latency percentile of the accepted (2xx) answers, in ms; 0 if none. */
    public double acceptedMs(double percentile) {
      return acceptedMicros.getTotalCount() == 0 ? 0 : acceptedMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private OpenLoad() {
  }

  /**
   * POSTs {@code body()} to {@code path} at {@code rate} per second for {@code duration}, on {@code context};
   * completes once every request is answered or has failed (after {@code timeout} at most).
   */
  public static Future<Result> run(Context context, WebClient client, String path, double rate, Duration duration,
                                   Duration timeout, Supplier<JsonObject> body) {
    if (rate <= 0) {
      return Future.failedFuture(new IllegalArgumentException("rate must be positive: " + rate));
    }
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> new Run(context.owner(), client, path, rate, duration, timeout, body, done).start());
    return done.future();
  }

  /** One run's state; touched only on its event loop. */
  private static final class Run {
    private final Vertx vertx;
    private final WebClient client;
    private final String path;
    private final double rate;
    private final Duration duration;
    private final Duration timeout;
    private final Supplier<JsonObject> body;
    private final Promise<Result> done;
    private final int total;
    private final Histogram latency = new Histogram(MAX_MICROS, 3);
    private final Histogram acceptedLatency = new Histogram(MAX_MICROS, 3);
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final List<String> accepted = new ArrayList<>();
    private final Map<String, Long> acceptedAt = new HashMap<>();
    private long start;
    private long timer;
    private int sent;
    private int answered;
    private long maxLag;

    Run(Vertx vertx, WebClient client, String path, double rate, Duration duration, Duration timeout,
        Supplier<JsonObject> body, Promise<Result> done) {
      this.vertx = vertx;
      this.client = client;
      this.path = path;
      this.rate = rate;
      this.duration = duration;
      this.timeout = timeout;
      this.body = body;
      this.done = done;
      this.total = (int) Math.round(rate * duration.toNanos() / 1e9);
    }

    void start() {
      start = System.nanoTime();
      if (total == 0) {
        finish();
        return;
      }
      timer = vertx.setPeriodic(1, id -> sendDue());
      sendDue();
    }

    /** Sends every request whose time has come; after a stall (a GC pause), that is several at once. */
    private void sendDue() {
      long now = System.nanoTime();
      while (sent < total) {
        long intended = start + (long) (sent * 1e9 / rate);
        if (intended > now) {
          break;
        }
        maxLag = Math.max(maxLag, (now - intended) / 1000);
        sent++;
        send(intended);
      }
      if (sent == total) {
        vertx.cancelTimer(timer);
      }
    }

    private void send(long intended) {
      client.post(path).timeout(timeout.toMillis()).putHeader("Content-Type", "application/json")
          .sendJsonObject(body.get())
          .onComplete(ar -> {
            long micros = Math.min(MAX_MICROS, (System.nanoTime() - intended) / 1000);
            latency.recordValue(micros);
            HttpResponse<Buffer> response = ar.succeeded() ? ar.result() : null;
            outcomes.merge(response == null ? "no answer " + ar.cause().getClass().getSimpleName() : outcome(response),
                1, Integer::sum);
            if (response != null && response.statusCode() / 100 == 2) {
              acceptedLatency.recordValue(micros);
              JsonObject json = json(response);
              if (json != null && json.getString("id") != null) {
                accepted.add(json.getString("id"));
                acceptedAt.put(json.getString("id"), System.currentTimeMillis());
              }
            }
            if (++answered == total) {
              finish();
            }
          });
    }

    private void finish() {
      done.complete(new Result(rate, duration, sent, start, System.nanoTime() - start, latency, acceptedLatency,
          outcomes, accepted, acceptedAt, maxLag));
    }
  }

  /** {@code "202"}, or for an error its status and code: {@code "503 BACKLOG_FULL"}. */
  static String outcome(HttpResponse<Buffer> response) {
    if (response.statusCode() < 400) {
      return String.valueOf(response.statusCode());
    }
    JsonObject json = json(response);
    return response.statusCode() + (json == null ? "" : " " + json.getString("error"));
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
