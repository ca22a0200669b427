package io.orderbus.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A server-sent-events client as a test uses it: the events so far, and whether the server ended the stream. */
public final class EventStream {

  /** One event: its {@code id:} (0 if none), its {@code event:} name ("message" if none) and its {@code data:} as JSON. */
  public record Event(int id, String name, JsonObject data) {
  }

  private final HttpClientResponse response;
  private final List<Event> events;
  private final Future<Void> end;

  private EventStream(HttpClientResponse response, List<Event> events, Future<Void> end) {
    this.response = response;
    this.events = events;
    this.end = end;
  }

  /** Opens {@code path} on the gateway at {@code port}; {@code lastEventId} is sent when not null. */
  public static EventStream open(Vertx vertx, int port, String path, String lastEventId) throws Exception {
    return open(vertx, port, path, lastEventId, Map.of());
  }

  /** As {@link #open(Vertx, int, String, String)}, with more request headers (a token). */
  public static EventStream open(Vertx vertx, int port, String path, String lastEventId, Map<String, String> headers)
      throws Exception {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).putHeader("Accept", "text/event-stream");
    headers.forEach(options::putHeader);
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    List<Event> events = new CopyOnWriteArrayList<>();
    StringBuilder text = new StringBuilder();
    Future<Void>[] end = new Future[1];
    // The handlers are set as the response arrives, on its event loop, so no byte is missed.
    HttpClientResponse response = client.request(options).compose(request -> request.send()).map(r -> {
      r.handler(chunk -> {
        text.append(chunk.toString());
        int blank;
        while ((blank = text.indexOf("\n\n")) >= 0) {
          parse(text.substring(0, blank), events);
          text.delete(0, blank + 2);
        }
      });
      end[0] = r.end();
      return r;
    }).await(30, TimeUnit.SECONDS);
    return new EventStream(response, events, end[0]);
  }

  private static void parse(String block, List<Event> events) {
    int id = 0;
    String name = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith("id: ")) {
        id = Integer.parseInt(line.substring(4));
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
      }
    }
    if (data != null) {
      events.add(new Event(id, name, new JsonObject(data.toString())));
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  public List<Event> events() {
    return events;
  }

  /** The events so far named {@code name}. */
  public List<Event> events(String name) {
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  public boolean ended() {
    return end.isComplete();
  }

  /** Waits for the server to end the stream. */
  public void awaitEnd(long seconds) throws Exception {
    end.await(seconds, TimeUnit.SECONDS);
  }

  public void close() {
    response.request().connection().close();
  }
}
