package io.orderbus.messaging;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * At-least-once delivery to every consumer group, on the cluster's own memory, with flow control.
 *
 * <p>Publishing stores one pending entry per (group, event) in a partitioned map with one synchronous
 * backup ({@link PendingStore}); the publishing node answers for those entries and hands them to the
 * group's members against their credit ({@link Dispatcher}); a member handles them at its own pace,
 * deletes each entry as it finishes and says so ({@link MemberIntake}). Redelivery follows evidence:
 * a member that left (Hazelcast membership), a handler that failed (backoff, then dead letters once both
 * {@code maxAttempts} and {@code deadLetterAfter} are past), or a whole lease without a word. When the
 * publishing node itself dies, the owners of its entries' partitions adopt them ({@link OrphanAdopter}).
 * A group's backlog is bounded ({@link BacklogGauge}): past it, publishing is refused, never dropped.
 */
public final class DurableDelivery implements Delivery, DeliveryAdmin {
  private static final Logger LOG = Logger.getLogger(DurableDelivery.class.getName());

  private final Vertx vertx;
  private final String nodeName;
  private final DeliverySettings settings;
  private final ClusterClock clock;
  private final DeliveryMeters meters;
  private final PendingStore store;
  private final GroupRegistry groups;
  private final MemberDirectory directory;
  private final BacklogGauge backlog;
  private final Dispatcher dispatcher;
  private final OrphanAdopter adopter;
  private final DurableAdmin admin;
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

  public DurableDelivery(Vertx vertx, HazelcastInstance hazelcast, String nodeName, DeliverySettings settings,
                         MeterRegistry registry) {
    this.vertx = vertx;
    this.nodeName = nodeName;
    this.settings = settings;
    this.clock = ClusterClock.of(hazelcast);
    this.meters = new DeliveryMeters(registry);
    this.store = new PendingStore(vertx, hazelcast, clock);
    this.groups = new GroupRegistry(vertx, hazelcast);
    this.directory = new MemberDirectory(vertx, hazelcast);
    this.backlog = new BacklogGauge(vertx, directory.self(), directory);
    this.dispatcher = new Dispatcher(vertx, directory.self(), settings, clock, store, directory, meters, backlog);
    this.adopter = new OrphanAdopter(vertx, store, directory, dispatcher, backlog, meters,
        settings.orphanScanInterval().toMillis(), settings.lease().toMillis(), clock);
    this.admin = new DurableAdmin(vertx, hazelcast, clock, store, groups, dispatcher, backlog, directory.self());
    store.onStored((entries, failure) -> {
      if (failure == null) {
        entries.forEach(e -> meters.of(e.group).published().increment());
        dispatcher.take(entries);
      } else {
        dispatcher.takeWhatWasStored(entries);
      }
    });
    directory.onGroupChanged(dispatcher::groupChanged);
    directory.onNodeLost(node -> {
      dispatcher.nodeLost(node);
      adopter.nodeLost();
    });
  }

  /** This node's dispatcher, for the package's tests. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The name entries carry when this node holds them, for the package's tests. */
  String holderName() {
    return directory.self();
  }

  /** Starts dispatching on the caller's context (a verticle of its own: {@link DeliveryVerticle}). */
  public Future<Void> start() {
    // The dispatcher first: the directory calls it as soon as it hears of members.
    return dispatcher.start()
        .compose(v -> directory.start())
        .compose(v -> groups.start())
        .compose(v -> backlog.start())
        .compose(v -> adopter.start());
  }

  @Override
  public String mode() {
    return "durable";
  }

  @Override
  public Future<Void> publish(String topic, String eventId, JsonObject payload) {
    return store(topic, eventId, payload, Duration.ZERO);
  }

  @Override
  public Future<Void> publishDelayed(String topic, String eventId, JsonObject payload, Duration delay) {
    return store(topic, eventId, payload, delay);
  }

  @Override
  public Future<Void> declare(GroupSpec group) {
    return groups.declare(group);
  }

  /** Registers this node's intake for the group, then tells every node it is a member. */
  @Override
  public Future<Void> subscribe(GroupSpec group, EventHandler handler) {
    MemberIntake intake = new MemberIntake(vertx, group.name(), directory.self(), handler, settings, store,
        meters.member(group.name()));
    meters.intake(group.name(), intake);
    subscribed.add(group.name());
    return declare(group)
        .compose(v -> intake.start())
        .compose(v -> directory.join(group.name(), intake.prefetch()));
  }

  /**
   * Called on the dispatcher's context with the entries this node saw acknowledged, a report at a time;
   * for the benchmark.
   */
  public void onAcknowledged(Consumer<List<PendingEntry>> listener) {
    dispatcher.onAcknowledged(listener);
  }

  @Override
  public Set<String> subscribedGroups() {
    return new TreeSet<>(subscribed);
  }

  @Override
  public Future<Map<String, GroupStats>> groupStats() {
    return admin.groupStats();
  }

  @Override
  public Map<String, Integer> inFlight() {
    return admin.inFlight();
  }

  @Override
  public Future<Map<String, Long>> pendingByOwner() {
    return admin.pendingByOwner();
  }

  @Override
  public Future<List<PendingEvent>> pending(int limit, PageCursor after) {
    return admin.pending(limit, after);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit, PageCursor after) {
    return admin.deadLetters(limit, after);
  }

  @Override
  public Future<DeadLetter> replay(String id) {
    return admin.replay(id);
  }

  private Future<Void> store(String topic, String eventId, JsonObject payload, Duration delay) {
    List<String> known = groups.groupsFor(topic);
    return known.isEmpty()
        ? groups.groupsOf(topic).compose(targets -> store(targets, topic, eventId, payload, delay))
        : store(known, topic, eventId, payload, delay);
  }

  private Future<Void> store(List<String> targets, String topic, String eventId, JsonObject payload, Duration delay) {
    if (targets.isEmpty()) {
      LOG.warning(() -> "no group consumes " + topic + "; event " + eventId + " has no reader");
      return Future.succeededFuture();
    }
    for (String group : targets) {
      long pending = backlog.estimate(group);
      if (pending >= settings.maxBacklog()) {
        meters.of(group).refused().increment();
        return Future.failedFuture(new BacklogFullException(group, pending,
            backlog.retryAfterSeconds(group, settings.maxBacklog())));
      }
    }
    // Due times in the cluster's time: whichever node holds the entry when it is due compares them.
    long now = clock.now();
    String encoded = payload.encode();
    String traceId = Trace.current();
    List<PendingEntry> entries = new ArrayList<>(targets.size());
    for (String group : targets) {
      PendingEntry entry = new PendingEntry(group, topic, eventId, encoded, now, nodeName, now + delay.toMillis(),
          directory.self());
      entry.traceId = traceId;
      entries.add(entry);
      backlog.reserve(group);
    }
    return store.store(entries, vertx.getOrCreateContext());
  }
}
