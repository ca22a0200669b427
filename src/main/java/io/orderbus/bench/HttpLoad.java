package io.orderbus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A closed loop of HTTP requests: {@code concurrency} clients, each sending its next request as soon as
 * its last one is answered, until {@code count} are answered. Runs on one event loop; records every
 * answer's latency (microseconds) and status.
 */
final class HttpLoad {

  /**
   * What one load run saw. {@code outcomes} counts answers by status, and for errors by status and error
   * code ({@code "503 CIRCUIT_OPEN"}); {@code created} holds the {@code id} of every 201/202 answer.
   */
  record Result(int count, long nanos, Histogram latencyMicros, Map<String, Integer> outcomes, List<String> created) {
    double perSecond() {
      return count * 1e9 / nanos;
    }

    double p50Ms() {
      return latencyMicros.getValueAtPercentile(50) / 1000.0;
    }

    double p99Ms() {
      return latencyMicros.getValueAtPercentile(99) / 1000.0;
    }

    int status(int code) {
      return outcomes.entrySet().stream().filter(e -> e.getKey().split(" ")[0].equals(String.valueOf(code)))
          .mapToInt(Map.Entry::getValue).sum();
    }
  }

  private HttpLoad() {
  }

  /** Runs the loop on {@code context}; {@code body} gives each request's JSON. */
  static Future<Result> run(Context context, WebClient client, String path, int count, int concurrency,
                            Supplier<JsonObject> body) {
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> {
      Histogram histogram = new Histogram(60_000_000L, 3);
      Map<String, Integer> outcomes = new TreeMap<>();
      List<String> created = new ArrayList<>();
      int[] sent = {0};
      int[] answered = {0};
      long start = System.nanoTime();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (sent[0] >= count) {
          return;
        }
        sent[0]++;
        long began = System.nanoTime();
        client.post(path).putHeader("Content-Type", "application/json").sendJsonObject(body.get())
            .onComplete(ar -> {
              histogram.recordValue(Math.min(60_000_000L, (System.nanoTime() - began) / 1000));
              int status = ar.succeeded() ? ar.result().statusCode() : 0;
              outcomes.merge(outcome(ar.succeeded() ? ar.result() : null), 1, Integer::sum);
              if (status == 201 || status == 202) {
                created.add(idOf(ar.result()));
              }
              if (++answered[0] == count) {
                done.complete(new Result(count, System.nanoTime() - start, histogram, outcomes, created));
              } else {
                next[0].run();
              }
            });
      };
      for (int i = 0; i < Math.min(concurrency, count); i++) {
        next[0].run();
      }
    });
    return done.future();
  }

  private static String outcome(HttpResponse<Buffer> response) {
    if (response == null) {
      return "no answer";
    }
    if (response.statusCode() < 400) {
      return String.valueOf(response.statusCode());
    }
    JsonObject json = response.bodyAsJsonObject();
    return response.statusCode() + (json == null ? "" : " " + json.getString("error"));
  }

  private static String idOf(HttpResponse<Buffer> response) {
    JsonObject json = response.bodyAsJsonObject();
    return json == null ? null : json.getString("id");
  }
}
