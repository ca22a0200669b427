package io.orderbus.chaos;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The chaos run's clients: a steady, open-loop stream of async orders, sync orders and sign-ups, spread over
 * both gateways, each request with its own {@code Idempotency-Key} and customer address. A request without a
 * definite {@link Answer} is sent again under the same key, after a backoff (or the {@code Retry-After} it was
 * given), to the other gateway, until it gets one or {@link #abandon()} ends the run: as a real client would.
 *
 * <p>The mix, per {@code rate} orders a second: 5 async to 3 sync, plus a quarter as many sign-ups. Each
 * order has one line, or two in one case out of five, of 1 to 3 units; a line takes a plentiful SKU 6 times out
 * of 10, else a scarce one, so that scarce SKUs run out during the run and later orders are rejected.
 *
 * <p>Everything here runs on one event loop; {@link #snapshot()} hands the history over.
 */
final class Workload {
  /** Longest wait for one attempt: the gateway gives a sync order 3 × requestTimeout + 1 s (7 s). */
  private static final long ATTEMPT_TIMEOUT_MS = 15_000;
  private static final long TICK_MS = 20;

  /** A SKU of the run and its initial stock. */
  record Sku(String name, int initial, boolean scarce) {
  }

  private final Vertx vertx;
  private final Context context;
  private final WebClient client;
  private final List<Integer> gateways;
  /** Draws the requests: the same seed, the same sequence of requests. */
  private final Random random;
  /** Draws the retries' jitter, apart, so that retries (which depend on timing) do not change the requests. */
  private final Random jitter;
  private final double rate;
  private final List<Sku> plenty;
  private final List<Sku> scarce;
  private final LongSupplier nowMs;
  private final List<ClientRequest> requests = new ArrayList<>();
  private long startedMs;
  private long periodic = -1;
  private boolean abandoned;
  private int open;

  Workload(Vertx vertx, List<Integer> gateways, long seed, double rate, List<Sku> skus, LongSupplier nowMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(5_000),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    this.gateways = List.copyOf(gateways);
    this.random = new Random(seed);
    this.jitter = new Random(~seed);
    this.rate = rate;
    this.plenty = skus.stream().filter(s -> !s.scarce()).toList();
    this.scarce = skus.stream().filter(Sku::scarce).toList();
    this.nowMs = nowMs;
  }

  /** The SKUs of a run of {@code seconds} at {@code rate}: scarce stock is about half of what is asked of it. */
  static List<Sku> skus(double rate, long seconds) {
    // Expected units asked of one of three scarce SKUs: orders × 1.2 lines × 0.4 scarce / 3 SKUs × 2 units.
    int scarceStock = (int) Math.max(10, Math.round(rate * seconds * 1.2 * 0.4 / 3 * 2 / 2));
    return List.of(new Sku("plenty-a", 1_000_000, false), new Sku("plenty-b", 1_000_000, false),
        new Sku("scarce-a", scarceStock, true), new Sku("scarce-b", scarceStock, true),
        new Sku("scarce-c", scarceStock, true));
  }

  /** Starts the stream. */
  void start() {
    context.runOnContext(v -> {
      startedMs = System.currentTimeMillis();
      long[] sent = {0};
      double perMs = rate * 1.25 / 1000;
      periodic = vertx.setPeriodic(TICK_MS, id -> {
        long due = (long) ((System.currentTimeMillis() - startedMs) * perMs);
        while (sent[0] < due) {
          sent[0]++;
          send(next());
        }
      });
    });
  }

  /** No new requests from now on; those under way go on being retried. */
  Future<Void> stopNew() {
    return run(() -> {
      if (periodic >= 0) {
        vertx.cancelTimer(periodic);
        periodic = -1;
      }
      return null;
    });
  }

  /** Requests still without a definite answer. */
  Future<Integer> open() {
    return run(() -> open);
  }

  /** No more retries: a request still without a definite answer stays without one. */
  Future<Void> abandon() {
    return run(() -> {
      abandoned = true;
      return null;
    });
  }

  /** Every request so far, as the history keeps it. */
  Future<List<History.Request>> snapshot() {
    return run(() -> requests.stream().map(ClientRequest::toHistory).toList());
  }

  void close() {
    client.close();
  }

  private ClientRequest next() {
    int seq = requests.size() + 1;
    double pick = random.nextDouble() * 1.25;
    ClientRequest.Kind kind = pick >= 1 ? ClientRequest.Kind.SIGNUP
        : pick < 0.625 ? ClientRequest.Kind.ASYNC : ClientRequest.Kind.SYNC;
    String prefix = switch (kind) {
      case ASYNC -> "a";
      case SYNC -> "s";
      case SIGNUP -> "u";
    };
    Map<String, Integer> items = new LinkedHashMap<>();
    if (kind != ClientRequest.Kind.SIGNUP) {
      int lines = random.nextInt(5) == 0 ? 2 : 1;
      for (int i = 0; i < lines; i++) {
        List<Sku> from = random.nextInt(10) < 6 ? plenty : scarce;
        items.merge(from.get(random.nextInt(from.size())).name(), 1 + random.nextInt(3), Integer::sum);
      }
    }
    ClientRequest request = new ClientRequest(seq, kind, "chaos-" + seq + "-" + Long.toHexString(random.nextLong()),
        prefix + seq + "@chaos.example", items, nowMs.getAsLong());
    requests.add(request);
    open++;
    return request;
  }

  private void send(ClientRequest r) {
    int gateway = gateways.get((r.seq + r.attempts) % gateways.size());
    r.attempts++;
    String path = switch (r.kind) {
      case ASYNC -> "/orders";
      case SYNC -> "/orders?mode=sync";
      case SIGNUP -> "/users";
    };
    client.post(gateway, "127.0.0.1", path).timeout(ATTEMPT_TIMEOUT_MS)
        .putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", r.key)
        .sendJsonObject(body(r))
        .onComplete(ar -> {
          Answer answer = ar.succeeded() ? Answer.of(r.kind, ar.result().statusCode(), json(ar.result()))
              : Answer.retry("no answer: " + ar.cause().getClass().getSimpleName());
          r.answer = answer;
          if (answer.definite()) {
            r.answeredMs = nowMs.getAsLong();
            open--;
          } else {
            r.retried.merge(answer.label(), 1, Integer::sum);
            retryLater(r, ar.succeeded() ? ar.result().getHeader("Retry-After") : null);
          }
        });
  }

  private void retryLater(ClientRequest r, String retryAfter) {
    if (abandoned) {
      return;
    }
    // Exponential backoff with jitter, 0.25 s doubling to 4 s; a Retry-After is honoured up to 5 s.
    long backoff = Math.min(4_000, 250L << Math.min(4, r.attempts - 1));
    long delay = backoff / 2 + jitter.nextInt((int) (backoff / 2) + 1);
    if (retryAfter != null) {
      try {
        delay = Math.max(delay, Math.min(5_000, Long.parseLong(retryAfter.trim()) * 1000));
      } catch (NumberFormatException ignored) {
        // Not a number of seconds: the backoff stands.
      }
    }
    vertx.setTimer(delay, t -> {
      if (!abandoned) {
        send(r);
      }
    });
  }

  private static JsonObject body(ClientRequest r) {
    if (r.kind == ClientRequest.Kind.SIGNUP) {
      return new JsonObject().put("email", r.recipient).put("name", "Chaos user " + r.seq);
    }
    JsonArray items = new JsonArray();
    r.items.forEach((sku, quantity) -> items.add(new JsonObject().put("sku", sku).put("quantity", quantity)));
    return new JsonObject().put("customerEmail", r.recipient).put("items", items);
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private <T> Future<T> run(java.util.concurrent.Callable<T> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(action.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
