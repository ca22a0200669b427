package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace id goes with a request through {@link ServiceClient} and {@link ServiceBinder}, stays with the work it
 * composes on both sides, and with nothing else; and {@link TraceLogFormatter} writes it into the lines logged then.
 */
@ExtendWith(VertxExtension.class)
class TracePropagationTest {
  private static final String ADDRESS = "trace-test.echo";

  @Test
  void aRequestCarriesTheCallersIdToTheServiceAndBack(Vertx vertx) throws Exception {
    List<String> seenByService = new CopyOnWriteArrayList<>();
    // The operation hops through a timer, as work composed on Hazelcast or the event bus does.
    new ServiceBinder(vertx).serve(ADDRESS, json -> json.getString("n"), n -> {
      seenByService.add(n + "=" + Trace.current());
      return vertx.timer(1).map(x -> n + ":" + Trace.current());
    }, echoed -> new JsonObject().put("echo", echoed)).ready().await(10, TimeUnit.SECONDS);
    ServiceClient client = new ServiceClient(vertx, "echo", Duration.ofSeconds(5));

    String traced = ask(vertx, client, "1", "req-1");
    String untraced = ask(vertx, client, "2", null);
    String other = ask(vertx, client, "3", "req-3");

    assertThat(traced).isEqualTo("1:req-1 / caller after reply: req-1");
    assertThat(untraced).isEqualTo("2:null / caller after reply: null");
    assertThat(other).isEqualTo("3:req-3 / caller after reply: req-3");
    assertThat(seenByService).containsExactly("1=req-1", "2=null", "3=req-3");
  }

  @Test
  void anIdOnTheBusThatIsNotSafeToLogIsDropped(Vertx vertx) throws Exception {
    List<String> seenByService = new CopyOnWriteArrayList<>();
    new ServiceBinder(vertx).serve(ADDRESS, json -> json, json -> {
      seenByService.add(String.valueOf(Trace.current()));
      return Future.succeededFuture(json);
    }, json -> json).ready().await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(ADDRESS, new JsonObject(), new io.vertx.core.eventbus.DeliveryOptions()
        .addHeader(Trace.HEADER, "a\n12:00:00.000 SEVERE forged")).await(10, TimeUnit.SECONDS);
    io.vertx.core.Context base = vertx.getOrCreateContext();
    String scoped = Future.<String>future(p -> base.runOnContext(v -> p.complete(
        Trace.within(base, "x y", () -> Future.succeededFuture(String.valueOf(Trace.current()))).result())))
        .await(10, TimeUnit.SECONDS);

    assertThat(seenByService).containsExactly("null");
    assertThat(scoped).isEqualTo("null");
  }

  @Test
  void anIdIsNeverLeftOnTheEventLoopsOwnContext(Vertx vertx) throws Exception {
    io.vertx.core.Context base = vertx.getOrCreateContext();
    String inside = Future.<String>future(p -> base.runOnContext(v -> p.complete(
        Trace.within(base, "scoped", () -> Future.succeededFuture(Trace.current())).result()
            + " then " + Trace.current()))).await(10, TimeUnit.SECONDS);
    assertThat(inside).isEqualTo("scoped then null");
    // Adopting an id outside a request's own context changes nothing.
    String adopted = Future.<String>future(p -> base.runOnContext(v -> {
      Trace.adopt("stray");
      p.complete(Trace.current());
    })).await(10, TimeUnit.SECONDS);
    assertThat(adopted).isNull();
  }

  @Test
  void aLogLineCarriesTheIdOfTheWorkThatLoggedIt(Vertx vertx) throws Exception {
    TraceLogFormatter formatter = new TraceLogFormatter();
    LogRecord record = new LogRecord(Level.INFO, "order 42: stock reserved");
    record.setLoggerName("io.orderbus.hops");
    io.vertx.core.Context base = vertx.getOrCreateContext();
    String traced = Future.<String>future(p -> base.runOnContext(v -> p.complete(
        Trace.within(base, "req-7", () -> Future.succeededFuture(formatter.format(record))).result())))
        .await(10, TimeUnit.SECONDS);
    assertThat(traced).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO io.orderbus.hops: \\[trace=req-7] order 42: stock reserved\\R");
    assertThat(formatter.format(record)).doesNotContain("trace=").contains("INFO io.orderbus.hops: order 42: stock reserved");
  }

  /** Asks from a context that holds {@code id} (or none); answers what the service and then the caller saw. */
  private static String ask(Vertx vertx, ServiceClient client, String n, String id) throws Exception {
    io.vertx.core.Context base = vertx.getOrCreateContext();
    return Future.<String>future(p -> base.runOnContext(v -> Trace.within(base, id, () ->
            client.ask(ADDRESS, new JsonObject().put("n", n), json -> json.getString("echo"))
                .map(echo -> echo + " / caller after reply: " + Trace.current()))
        .onComplete(p)))
        .await(10, TimeUnit.SECONDS);
  }
}
