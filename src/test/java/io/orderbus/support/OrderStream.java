package io.orderbus.support;

import io.orderbus.support.Api.Response;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A steady stream of async orders ({@code POST /orders}) at a fixed rate, placed from threads of its own
 * (never the common pool, which is Hazelcast's), recording every answer, until {@link #stop()}.
 */
public final class OrderStream implements AutoCloseable {

  /** One order placed: its body, the gateway's status (-1 if no answer came) and the order id of a 202. */
  public record Placed(int index, JsonObject body, int status, String id, String error) {
    public boolean accepted() {
      return status == 202 && id != null;
    }

    public String customer() {
      return body.getString("customerEmail");
    }
  }

  private final Api api;
  private final IntFunction<JsonObject> nextOrder;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "order-stream-timer"));
  // Posts wait on the gateway; a slow answer must not hold up the next order, so they run beside the timer.
  private final ExecutorService clients = Executors.newFixedThreadPool(4, r -> thread(r, "order-stream-client"));
  private final AtomicInteger issued = new AtomicInteger();
  private final List<Placed> placed = new ArrayList<>();

  /** Starts placing {@code perSecond} orders a second; order {@code i}'s body is {@code nextOrder.apply(i)}. */
  public OrderStream(Api api, int perSecond, IntFunction<JsonObject> nextOrder) {
    this.api = api;
    this.nextOrder = nextOrder;
    timer.scheduleAtFixedRate(() -> {
      int index = issued.getAndIncrement();
      clients.execute(() -> place(index));
    }, 0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
  }

  /** Orders whose POST has been answered (or has failed) so far. */
  public synchronized int answered() {
    return placed.size();
  }

  /** Orders accepted (202) so far. */
  public synchronized int accepted() {
    return (int) placed.stream().filter(Placed::accepted).count();
  }

  /** The answered orders so far, by the order they were answered in. */
  public synchronized List<Placed> placed() {
    return List.copyOf(placed);
  }

  /** Stops issuing orders, waits for the answers of those issued, and returns every order placed. */
  public List<Placed> stop() throws InterruptedException {
    timer.shutdown();
    if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the order stream did not stop");
    }
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("orders still unanswered 60 s after the stream stopped");
    }
    return placed();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    clients.shutdownNow();
  }

  private void place(int index) {
    JsonObject body = nextOrder.apply(index);
    Placed outcome;
    try {
      Response r = api.post("/orders", body);
      String id = r.status() == 202 && r.json() != null ? r.json().getString("id") : null;
      outcome = new Placed(index, body, r.status(), id, id == null ? r.body() : null);
    } catch (Throwable e) {
      outcome = new Placed(index, body, -1, null, e.toString());
    }
    synchronized (this) {
      placed.add(outcome);
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
