package io.orderbus.messaging;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * At-least-once delivery to every consumer group, on the cluster's own memory.
 *
 * <p>Publishing stores one pending entry per (group, event) in a partitioned map with one synchronous
 * backup, then hands the event to one member of the group with an event-bus request; the reply deletes
 * the entry. Every node periodically redelivers the overdue entries of the partitions it owns, so when a
 * node dies Hazelcast moves its partitions to the survivors and they take over, with no leader. Failed
 * attempts back off exponentially and end in the dead letters after {@code maxAttempts}; a group with no
 * member keeps its entries, without spending attempts, until one arrives.
 */
public final class DurableDelivery implements Delivery {
  private static final Logger LOG = Logger.getLogger(DurableDelivery.class.getName());
  /** How long to leave a group alone after learning it has no member. */
  private static final long ABSENT_GROUP_PAUSE_MS = 500;
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Events per putAll and per event-bus message, and how long the first of a batch may wait for more. */
  private static final int BATCH_SIZE = 256;
  private static final long BATCH_DELAY_MS = 1;

  private final Vertx vertx;
  private final String nodeName;
  private final DeliverySettings settings;
  private final HazelcastInstance hazelcast;
  private final IMap<String, PendingEntry> pending;
  private final IMap<String, PendingEntry> deadLetters;
  private final GroupRegistry groups;
  private final DeliveryMeters meters;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Long> absentUntil = new ConcurrentHashMap<>();
  private final Map<String, Long> pendingSeen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> storedSinceSeen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> storeCompletedSinceSeen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> ackedSinceSeen = new ConcurrentHashMap<>();
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private volatile java.util.function.Consumer<List<PendingEntry>> ackListener = entries -> { };
  private final Batcher<StoreRequest> storeBatcher;
  private final Map<String, Batcher<PendingEntry>> sendBatchers = new ConcurrentHashMap<>();
  private volatile boolean scanning;
  private long redeliveryTimer = -1;
  private long backlogTimer = -1;

  public DurableDelivery(Vertx vertx, HazelcastInstance hazelcast, String nodeName, DeliverySettings settings,
                         MeterRegistry registry) {
    this.vertx = vertx;
    this.meters = new DeliveryMeters(registry);
    this.nodeName = nodeName;
    this.settings = settings;
    this.hazelcast = hazelcast;
    this.pending = hazelcast.getMap(MessagingContract.PENDING_MAP);
    this.deadLetters = hazelcast.getMap(MessagingContract.DEAD_LETTER_MAP);
    this.groups = new GroupRegistry(vertx, hazelcast);
    this.storeBatcher = new Batcher<>(vertx, BATCH_SIZE, BATCH_DELAY_MS, this::storeBatch);
  }

  /** Loads the group list and starts this node's redelivery and backlog timers (on the caller's context). */
  public Future<Void> start() {
    return groups.start().onSuccess(v -> {
      redeliveryTimer = vertx.setPeriodic(settings.redeliveryInterval().toMillis(), id -> redeliverDue());
      backlogTimer = vertx.setPeriodic(1000, id -> refreshBacklog());
    });
  }

  public void stop() {
    vertx.cancelTimer(redeliveryTimer);
    vertx.cancelTimer(backlogTimer);
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

  @Override
  public Future<Void> subscribe(GroupSpec group, EventHandler handler) {
    ConsumerQueue queue = new ConsumerQueue(group.name(), handler, settings.consumerConcurrency(), meters.member(group.name()));
    meters.consumer(group.name(), queue);
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(MessagingContract.groupAddress(group.name()), queue::accept);
    subscribed.add(group.name());
    absentUntil.remove(group.name());
    return declare(group).compose(v -> consumer.completion());
  }

  /**
   * Called with the entries this node saw acknowledged and removed, a batch at a time, on whatever thread
   * saw it; for metrics and the benchmark.
   */
  public void onAcknowledged(java.util.function.Consumer<List<PendingEntry>> listener) {
    this.ackListener = listener;
  }

  @Override
  public Set<String> subscribedGroups() {
    return new TreeSet<>(subscribed);
  }

  /** Per group: pending, dead letters, oldest pending age and this node's in-flight count. */
  @Override
  public Future<JsonObject> groupStats() {
    return vertx.executeBlocking(() -> {
      JsonObject out = new JsonObject();
      long now = System.currentTimeMillis();
      for (String group : groups.groupNames()) {
        var inGroup = Predicates.<String, PendingEntry>equal("group", group);
        long count = pending.aggregate(Aggregators.count(), inGroup);
        Long oldest = count == 0 ? null : pending.aggregate(Aggregators.longMin("publishedAt"), inGroup);
        long dead = deadLetters.aggregate(Aggregators.count(), inGroup);
        out.put(group, new JsonObject()
            .put("topics", new ArrayList<>(new TreeSet<>(groups.topicsOf(group))))
            .put("pending", count)
            .put("deadLetters", dead)
            .put("oldestPendingAgeMs", oldest == null ? 0 : Math.max(0, now - oldest)));
      }
      return out;
    }, false);
  }

  @Override
  public Map<String, Integer> inFlight() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    inFlight.forEach((group, count) -> out.put(group, count.get()));
    return out;
  }

  @Override
  public Future<Map<String, Long>> pendingByOwner() {
    return vertx.executeBlocking(() -> {
      Map<String, Long> out = new HashMap<>();
      for (String key : pending.keySet()) {
        var owner = hazelcast.getPartitionService().getPartition(key).getOwner();
        if (owner != null) {
          // Vert.x names a node by the id it stores as a member attribute, not by the member's UUID.
          String nodeId = owner.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
          out.merge(nodeId != null ? nodeId : owner.getUuid().toString(), 1L, Long::sum);
        }
      }
      return out;
    }, false);
  }

  /** Dead letters, newest first, at most {@code limit}. */
  @Override
  public Future<List<PendingEntry>> deadLetters(int limit) {
    return vertx.executeBlocking(() -> {
      List<PendingEntry> all = new ArrayList<>(deadLetters.values());
      all.sort((a, b) -> Long.compare(b.deadAt, a.deadAt));
      return all.subList(0, Math.min(limit, all.size()));
    }, false);
  }

  /** Moves a dead letter back to pending with its attempts reset; fails if there is no such dead letter. */
  @Override
  public Future<PendingEntry> replay(String id) {
    Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(deadLetters.removeAsync(id), context).compose(entry -> {
      if (entry == null) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
            MessagingContract.DEAD_LETTER_NOT_FOUND, "no dead letter '" + id + "'"));
      }
      entry.attempts = 0;
      entry.deadAt = 0;
      entry.nextAttemptAt = System.currentTimeMillis();
      return Future.fromCompletionStage(pending.setAsync(entry.key(), entry), context).map(entry);
    });
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
      long backlog = backlogEstimate(group);
      if (backlog >= settings.maxBacklog()) {
        meters.of(group).refused().increment();
        return Future.failedFuture(new BacklogFullException(group, backlog, retryAfterSeconds()));
      }
    }
    long now = System.currentTimeMillis();
    String encoded = payload.encode();
    List<PendingEntry> entries = new ArrayList<>();
    List<PendingEntry> sendNow = new ArrayList<>();
    for (String group : targets) {
      boolean immediate = delay.isZero() && tryAcquire(group);
      long next = immediate ? now + settings.ackTimeout().toMillis() : now + delay.toMillis();
      PendingEntry entry = new PendingEntry(group, topic, eventId, encoded, now, nodeName, next);
      entries.add(entry);
      if (immediate) {
        sendNow.add(entry);
      }
      storedSince(group).incrementAndGet();
    }
    Promise<Void> stored = Promise.promise();
    storeBatcher.add(new StoreRequest(entries, sendNow, stored, vertx.getOrCreateContext()));
    return stored.future();
  }

  /** One publish waiting for its batch to be stored; completed on the publisher's own context. */
  private record StoreRequest(List<PendingEntry> entries, List<PendingEntry> sendNow, Promise<Void> stored,
                              Context context) {
  }

  /** Stores a batch of publishes with one putAll (one operation per member, backups included). */
  private void storeBatch(List<StoreRequest> requests) {
    Map<String, PendingEntry> batch = new HashMap<>();
    requests.forEach(r -> r.entries().forEach(e -> batch.put(e.key(), e)));
    pending.putAllAsync(batch).whenComplete((v, failure) -> {
      Map<Context, List<Promise<Void>>> byContext = new java.util.IdentityHashMap<>();
      for (StoreRequest request : requests) {
        request.entries().forEach(e -> {
          storeCompleted(e.group).incrementAndGet();
          if (failure == null) {
            meters.of(e.group).published().increment();
          }
        });
        if (failure != null) {
          request.sendNow().forEach(entry -> release(entry.group));
        } else {
          request.sendNow().forEach(this::send);
        }
        byContext.computeIfAbsent(request.context(), c -> new ArrayList<>()).add(request.stored());
      }
      // One hop per publishing context, not per event.
      byContext.forEach((context, promises) -> context.runOnContext(x -> promises.forEach(p -> {
        if (failure != null) {
          p.fail(failure);
        } else {
          p.complete();
        }
      })));
    });
  }

  /** Hands an entry to one member of its group, batched per group; the caller holds an in-flight slot. */
  private void send(PendingEntry entry) {
    sendBatchers.computeIfAbsent(entry.group, group ->
        new Batcher<PendingEntry>(vertx, BATCH_SIZE, BATCH_DELAY_MS, batch -> sendBatch(group, batch))).add(entry);
  }

  private void sendBatch(String group, List<PendingEntry> batch) {
    JsonArray events = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(entry -> events.add(entry.toWire(entry.attempts + 1)));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.ackTimeout().toMillis());
    Context context = vertx.getOrCreateContext();
    vertx.eventBus().<JsonObject>request(MessagingContract.groupAddress(group), new JsonObject().put("events", events), options)
        .onComplete(ar -> {
          JsonObject failed = ar.succeeded() ? ar.result().body().getJsonObject("failed", new JsonObject()) : null;
          List<PendingEntry> acked = new ArrayList<>(batch.size());
          for (PendingEntry entry : batch) {
            if (ar.failed()) {
              settle(entry, recordFailure(entry, ar.cause(), context));
            } else if (failed.containsKey(entry.eventId)) {
              settle(entry, recordFailure(entry, new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
                  MessagingContract.HANDLER_FAILED, failed.getString(entry.eventId)), context));
            } else {
              acked.add(entry);
            }
          }
          acknowledge(acked);
        });
  }

  /**
   * Deletes acknowledged entries, one {@code removeAsync} per key (measured faster than one
   * {@code submitToKeys} per batch), without a hop to an event loop: nothing here needs one. The listener
   * hears of the batch once all its deletes are done.
   */
  private void acknowledge(List<PendingEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    AtomicInteger remaining = new AtomicInteger(entries.size());
    List<PendingEntry> deleted = java.util.Collections.synchronizedList(new ArrayList<>(entries.size()));
    for (PendingEntry entry : entries) {
      pending.removeAsync(entry.key()).whenComplete((removed, failure) -> {
        release(entry.group);
        if (failure != null) {
          // The entry stays pending and is delivered again after its lease: at least once, not lost.
          LOG.warning(() -> "could not delete acknowledged " + entry.key() + ": " + failure);
        } else {
          ackedSince(entry.group).incrementAndGet();
          meters.of(entry.group).acknowledged().increment();
          deleted.add(entry);
        }
        if (remaining.decrementAndGet() == 0 && !deleted.isEmpty()) {
          ackListener.accept(List.copyOf(deleted));
        }
      });
    }
  }

  private void settle(PendingEntry entry, Future<Void> outcome) {
    outcome.onComplete(ar -> {
      release(entry.group);
      if (ar.failed()) {
        LOG.warning(() -> "could not record the outcome of " + entry.key() + ": " + ar.cause());
      }
    });
  }

  private Future<Void> recordFailure(PendingEntry entry, Throwable failure, Context context) {
    long now = System.currentTimeMillis();
    String error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      absentUntil.put(entry.group, now + ABSENT_GROUP_PAUSE_MS);
      // Nobody to deliver to is not the event's fault: keep it, do not spend an attempt.
      return reschedule(entry, now + ABSENT_GROUP_PAUSE_MS, false, "no member of group " + entry.group, context);
    }
    int attempts = entry.attempts + 1;
    meters.of(entry.group).failedAttempts().increment();
    if (attempts >= settings.maxAttempts()) {
      meters.of(entry.group).deadLettered().increment();
      PendingEntry dead = entry.copy();
      dead.attempts = attempts;
      dead.lastError = error;
      dead.deadAt = now;
      LOG.warning(() -> "event " + entry.key() + " failed " + attempts + " times, moved to dead letters: " + error);
      return Future.fromCompletionStage(deadLetters.setAsync(dead.key(), dead), context)
          .compose(v -> Future.fromCompletionStage(pending.removeAsync(entry.key()), context))
          .mapEmpty();
    }
    return reschedule(entry, now + settings.backoff().delayMillis(attempts), true, error, context);
  }

  private Future<Void> reschedule(PendingEntry entry, long at, boolean countAttempt, String error, Context context) {
    return Future.fromCompletionStage(
        pending.submitToKey(entry.key(), new PendingProcessors.Reschedule(at, countAttempt, error)), context).mapEmpty();
  }

  /** Leases and sends the overdue entries this node owns, within the in-flight bound. */
  private void redeliverDue() {
    if (scanning) {
      return;
    }
    scanning = true;
    long now = System.currentTimeMillis();
    Context context = vertx.getOrCreateContext();
    vertx.executeBlocking(() -> pending.localKeySet(Predicates.lessEqual("nextAttemptAt", now)), false)
        .onComplete(ar -> {
          scanning = false;
          if (ar.failed()) {
            LOG.fine(() -> "redelivery scan failed: " + ar.cause());
            return;
          }
          for (String key : ar.result()) {
            String group = PendingEntry.groupOf(key);
            if (absentUntil.getOrDefault(group, 0L) > now || !tryAcquire(group)) {
              continue;
            }
            long until = now + settings.ackTimeout().toMillis();
            Future.fromCompletionStage(pending.submitToKey(key, new PendingProcessors.Lease(now, until)), context)
                .onComplete(lease -> {
                  if (lease.succeeded() && lease.result() != null) {
                    meters.of(group).redelivered().increment();
                    send(lease.result());
                  } else {
                    release(group);
                  }
                });
          }
        });
  }

  /**
   * The group's backlog as this node sees it: the cluster-wide count of at most a second ago, plus what
   * this node began storing and was not certainly in that count, minus what it saw acknowledged since.
   * It errs high for this node's own publishes (a store in progress during the count may be counted
   * twice), so one producer never overshoots the bound; other nodes' publishes show up within a second,
   * so across nodes the bound is a soft one. It never drops anything accepted.
   */
  private long backlogEstimate(String group) {
    return Math.max(0, pendingSeen.getOrDefault(group, 0L) + storedSince(group).get() - ackedSince(group).get());
  }

  private void refreshBacklog() {
    for (String group : groups.groupNames()) {
      // Stores completed before the count began are in it; the others may or may not be.
      long completed = storeCompleted(group).get();
      long acked = ackedSince(group).get();
      vertx.executeBlocking(() -> pending.aggregate(Aggregators.count(), Predicates.equal("group", group)), false)
          .onSuccess(count -> {
            pendingSeen.put(group, count);
            storedSince(group).addAndGet(-completed);
            storeCompleted(group).addAndGet(-completed);
            ackedSince(group).addAndGet(-acked);
          });
    }
  }

  private int retryAfterSeconds() {
    return (int) Math.max(1, settings.ackTimeout().toSeconds());
  }

  private boolean tryAcquire(String group) {
    AtomicInteger count = counter(group);
    while (true) {
      int current = count.get();
      if (current >= settings.maxInFlight()) {
        return false;
      }
      if (count.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  private void release(String group) {
    counter(group).decrementAndGet();
  }

  private AtomicInteger counter(String group) {
    return inFlight.computeIfAbsent(group, g -> {
      AtomicInteger count = new AtomicInteger();
      meters.inFlight(g, count);
      return count;
    });
  }

  private AtomicLong storeCompleted(String group) {
    return storeCompletedSinceSeen.computeIfAbsent(group, g -> new AtomicLong());
  }

  private AtomicLong ackedSince(String group) {
    return ackedSinceSeen.computeIfAbsent(group, g -> new AtomicLong());
  }

  private AtomicLong storedSince(String group) {
    return storedSinceSeen.computeIfAbsent(group, g -> new AtomicLong());
  }
}
