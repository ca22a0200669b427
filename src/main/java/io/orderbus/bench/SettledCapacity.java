package io.orderbus.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How many async orders per second the cluster <em>settles</em> (stock decided: CONFIRMED or REJECTED,
 * and the confirmation emailed) when it is kept busy but never overloaded.
 *
 * <p>A loop closed on the {@code 202} would measure how fast the gateway accepts, which on the async path
 * is not how fast the work gets done: the backlog would grow and the figure would overstate the capacity.
 * So the loop is closed on the backlog instead: {@code clients} clients place orders back to back, but only
 * while the cluster's backlog ({@code GET /cluster}, pending events summed over the groups, read every
 * {@value #BACKLOG_POLL_MS} ms) is under {@code maxBacklog}; the consumers always have work and never a
 * pile. Following each order instead (polling it, or its event stream) would cost the cluster a request
 * per order and understate the capacity it measures.
 *
 * <p>Settled orders are counted afterwards, from each order's timeline: an order counts if its last step
 * (final status or EmailSent, whichever came later) falls within the measured window, after the warm-up.
 * The clients join evenly over the first third of the warm-up, because cold JVMs are several times slower
 * and a full load at once would be a burst; a warm-up too short for the JIT understates the capacity.
 */
public final class SettledCapacity {
  private static final long BACKLOG_POLL_MS = 100;
  /** How long a client waits before it looks at the gate again, or tries again after a refused order. */
  private static final long WAIT_MS = 10;
  private static final int READ_CONCURRENCY = 8;

  /**
   * {@code settled}: orders settled within the measured window; {@code placed}: the id of every order
   * placed (warm-up included); {@code outcomes}: answers to the POSTs by status and error code;
   * {@code unsettled}: placed orders not settled when their timelines were read, just after the window.
   */
  public record Result(int settled, Duration measured, List<String> placed, Map<String, Integer> outcomes,
                       int unsettled) {
    public double perSecond() {
      return settled / (measured.toNanos() / 1e9);
    }
  }

  private SettledCapacity() {
  }

  /**
   * Places orders ({@code body()}, POST /orders) through {@code client} on {@code context} for {@code warmup +
   * measured} with at most {@code clients} requests in flight, while the backlog (read through {@code operator},
   * the same gateway with the admin token: see {@link io.orderbus.gateway.OperatorClient}) is under
   * {@code maxBacklog} events; then counts.
   */
  public static Future<Result> measure(Context context, WebClient client, WebClient operator, Duration warmup,
                                       Duration measured, int clients, int maxBacklog, Supplier<JsonObject> body) {
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> new Run(context.owner(), client, operator, warmup, measured, clients, maxBacklog, body,
        done).start());
    return done.future();
  }

  /** One measurement's state; touched only on its event loop. */
  private static final class Run {
    private final Vertx vertx;
    private final WebClient client;
    private final WebClient operator;
    private final Duration warmup;
    private final Duration measured;
    private final long windowStartMillis;
    private final long windowEnd;
    private final int clients;
    private final int maxBacklog;
    private final Supplier<JsonObject> body;
    private final Promise<Result> done;
    private final List<String> placed = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private long backlog;
    private int running;

    Run(Vertx vertx, WebClient client, WebClient operator, Duration warmup, Duration measured, int clients,
        int maxBacklog, Supplier<JsonObject> body, Promise<Result> done) {
      this.vertx = vertx;
      this.client = client;
      this.operator = operator;
      this.warmup = warmup;
      this.measured = measured;
      // Timelines carry the nodes' wall-clock times; all on this machine, so one clock.
      this.windowStartMillis = System.currentTimeMillis() + warmup.toMillis();
      this.windowEnd = System.nanoTime() + warmup.plus(measured).toNanos();
      this.clients = clients;
      this.maxBacklog = maxBacklog;
      this.body = body;
      this.done = done;
    }

    void start() {
      watchBacklog();
      running = clients;
      for (int i = 0; i < clients; i++) {
        long delay = warmup.toMillis() / 3 * i / clients;
        if (delay == 0) {
          place();
        } else {
          vertx.setTimer(delay, t -> place());
        }
      }
    }

    private void watchBacklog() {
      operator.get("/cluster").send().onComplete(ar -> {
        // A failed read (the gateway busy) keeps the last value.
        if (ar.succeeded() && ar.result().statusCode() == 200) {
          backlog = OrderWatch.backlog(ar.result().bodyAsJsonObject());
        }
        if (running > 0) {
          vertx.setTimer(BACKLOG_POLL_MS, t -> watchBacklog());
        }
      });
    }

    /** One client's step: place an order when the gate is open, or stop once the measured window is over. */
    private void place() {
      if (System.nanoTime() >= windowEnd) {
        if (--running == 0) {
          count();
        }
        return;
      }
      if (backlog >= maxBacklog) {
        vertx.setTimer(WAIT_MS, t -> place());
        return;
      }
      client.post("/orders").putHeader("Content-Type", "application/json").sendJsonObject(body.get())
          .onComplete(ar -> {
            HttpResponse<Buffer> response = ar.succeeded() ? ar.result() : null;
            outcomes.merge(response == null ? "no answer " + ar.cause().getClass().getSimpleName()
                : OpenLoad.outcome(response), 1, Integer::sum);
            JsonObject order = response != null && response.statusCode() == 202 ? response.bodyAsJsonObject() : null;
            if (order == null) {
              // Refused: try again a little later rather than in a tight loop against a refusing gateway.
              vertx.setTimer(WAIT_MS, t -> place());
            } else {
              placed.add(order.getString("id"));
              place();
            }
          });
    }

    /** Reads every placed order's timeline, {@link #READ_CONCURRENCY} at a time, and counts. */
    private void count() {
      long windowEndMillis = windowStartMillis + measured.toMillis();
      Iterator<String> next = placed.iterator();
      int[] reading = {0};
      int[] settled = {0};
      int[] unsettled = {0};
      Runnable[] step = new Runnable[1];
      step[0] = () -> {
        while (reading[0] < READ_CONCURRENCY && next.hasNext()) {
          reading[0]++;
          client.get("/orders/" + next.next()).send().onComplete(ar -> {
            reading[0]--;
            JsonObject order = ar.succeeded() && ar.result().statusCode() == 200 ? ar.result().bodyAsJsonObject() : null;
            if (!OrderWatch.settled(order)) {
              unsettled[0]++;
            } else {
              long at = OrderWatch.settledAt(order);
              if (at >= windowStartMillis && at < windowEndMillis) {
                settled[0]++;
              }
            }
            step[0].run();
          });
        }
        if (reading[0] == 0 && !next.hasNext()) {
          done.complete(new Result(settled[0], measured, List.copyOf(placed), outcomes, unsettled[0]));
        }
      };
      step[0].run();
    }
  }
}
