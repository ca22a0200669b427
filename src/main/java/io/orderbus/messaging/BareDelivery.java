package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A plain event-bus {@code publish}: every consumer registered at that moment gets the event, on every
 * member of every group, at most once. Nothing is kept: an event published while no member of a group
 * listens, or in flight when a node dies, is gone. It exists to show what durable delivery adds.
 */
public final class BareDelivery implements Delivery, DeliveryAdmin {
  private static final Logger LOG = Logger.getLogger(BareDelivery.class.getName());

  private final Vertx vertx;
  private final String nodeName;
  private final ClusterClock clock;
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

  /** For a service tested alone, outside any cluster: events are stamped with this JVM's clock. */
  public BareDelivery(Vertx vertx, String nodeName) {
    this(vertx, nodeName, ClusterClock.local());
  }

  /** Events are stamped {@code publishedAt} with {@code clock}, the cluster's time on a clustered node. */
  public BareDelivery(Vertx vertx, String nodeName, ClusterClock clock) {
    this.vertx = vertx;
    this.nodeName = nodeName;
    this.clock = clock;
  }

  @Override
  public String mode() {
    return "bare";
  }

  @Override
  public Future<Void> publish(String topic, String eventId, JsonObject payload) {
    Event event = new Event(eventId, topic, payload, clock.now(), nodeName, 1, Trace.current());
    vertx.eventBus().publish(MessagingContract.liveAddress(topic), event.toJson());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> publishDelayed(String topic, String eventId, JsonObject payload, Duration delay) {
    // A timer in this JVM: lost with it, which is the point of the comparison.
    vertx.setTimer(Math.max(1, delay.toMillis()), id -> publish(topic, eventId, payload));
    return Future.succeededFuture();
  }

  @Override
  public Set<String> subscribedGroups() {
    return new TreeSet<>(subscribed);
  }

  @Override
  public Future<java.util.Map<String, GroupStats>> groupStats() {
    // Nothing is kept, so there is nothing to count.
    return Future.succeededFuture(java.util.Map.of());
  }

  @Override
  public java.util.Map<String, Integer> inFlight() {
    return java.util.Map.of();
  }

  @Override
  public Future<java.util.Map<String, Long>> pendingByOwner() {
    return Future.succeededFuture(java.util.Map.of());
  }

  @Override
  public Future<List<PendingEvent>> pending(int limit, PageCursor after) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit, PageCursor after) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<DeadLetter> replay(String id) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
        MessagingContract.DEAD_LETTER_NOT_FOUND, "bare delivery keeps no dead letters"));
  }

  @Override
  public Future<Void> declare(GroupSpec group) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> subscribe(GroupSpec group, EventHandler handler) {
    subscribed.add(group.name());
    List<Future<Void>> registered = new ArrayList<>();
    for (String topic : group.topics()) {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(MessagingContract.liveAddress(topic), message -> {
        Event event = Event.fromJson(message.body());
        Trace.adopt(event.traceId());
        handler.handle(event).onFailure(e ->
            LOG.warning(() -> "group " + group.name() + " failed " + event.topic() + " " + event.id()
                + " and bare delivery does not retry: " + e.getMessage()));
      });
      registered.add(consumer.completion());
    }
    return Future.all(registered).mapEmpty();
  }
}
