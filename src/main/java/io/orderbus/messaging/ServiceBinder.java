package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The service's side: serves each operation of a typed API on its address. A request is read into its record,
 * the operation's future answered as JSON, and a failure sent with its code and details ({@link Replies#fail}).
 * The operation runs as work of the {@link Trace} id the request carries.
 * A verticle binds its operations and waits for {@link #ready()}, which completes once every consumer is
 * registered across the cluster.
 */
public final class ServiceBinder {
  private final Vertx vertx;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  public ServiceBinder(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * @param request reads the request's JSON (may throw for one it cannot read: answered as a failure)
   * @param reply   writes the result as the reply's JSON
   */
  public <Q, R> ServiceBinder serve(String address, Function<JsonObject, Q> request, Function<Q, Future<R>> operation,
                                    Function<R, JsonObject> reply) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, message -> {
      Trace.adopt(message);
      Replies.reply(message, Replies.attempt(() -> operation.apply(request.apply(message.body()))).map(reply));
    }));
    return this;
  }

  /** Completes once every address bound so far is served across the cluster. */
  public Future<Void> ready() {
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }
}
