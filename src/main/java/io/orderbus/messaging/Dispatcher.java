package io.orderbus.messaging;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Hands the events this node answers for to the members of their groups, against credit: a member is
 * never handed more than its share of its prefetch ({@code prefetch / nodes}, as every node dispatches),
 * and a member says what became of each event as it finishes. What is handed out stays here until it is
 * reported on, so a member that leaves the cluster has its events sent to the others at once; a failure
 * is retried after a backoff; an event nobody reports on within the lease is checked against the store.
 *
 * <p>All state lives on one context; calls from other threads hop onto it. Every time here is the cluster's
 * ({@link ClusterClock}): due times come from the store, written by whichever node held the entry before.
 */
final class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
  /** Events per message to one member. */
  private static final int MAX_BATCH = 256;
  private static final long PROBE_TIMEOUT_MS = 5000;
  private static final long PROBE_RETRY_MS = 200;

  private final Vertx vertx;
  private final String self;
  private final DeliverySettings settings;
  private final ClusterClock clock;
  private final PendingStore store;
  private final MemberDirectory directory;
  private final DeliveryMeters meters;
  private final BacklogGauge backlog;
  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
  private volatile Consumer<List<PendingEntry>> ackListener = entries -> { };
  private Context context;
  private long wakeTimer = -1;
  private long wakeAt = Long.MAX_VALUE;

  Dispatcher(Vertx vertx, String self, DeliverySettings settings, ClusterClock clock, PendingStore store,
             MemberDirectory directory, DeliveryMeters meters, BacklogGauge backlog) {
    this.vertx = vertx;
    this.self = self;
    this.settings = settings;
    this.clock = clock;
    this.store = store;
    this.directory = directory;
    this.meters = meters;
    this.backlog = backlog;
  }

  /** Starts on the caller's context, which from then on owns all dispatching state. */
  Future<Void> start() {
    context = vertx.getOrCreateContext();
    long sweep = Math.max(100, settings.lease().toMillis() / 3);
    vertx.setPeriodic(sweep, id -> sweepLeases());
    return vertx.eventBus().<JsonObject>consumer(MessagingContract.reportAddress(self), this::onReport).completion();
  }

  void onAcknowledged(Consumer<List<PendingEntry>> listener) {
    this.ackListener = listener;
  }

  /** Per group, events handed to members and not yet reported on. Any thread. */
  Map<String, Integer> inFlight() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    outboxes.forEach((group, outbox) -> out.put(group, outbox.inFlight()));
    return out;
  }

  /** Takes on entries this node now answers for (stored, adopted or replayed). Any thread. */
  void take(List<PendingEntry> entries) {
    onContext(() -> {
      long now = clock.now();
      List<String> touched = new ArrayList<>();
      for (PendingEntry entry : entries) {
        Outbox outbox = outbox(entry.group);
        outbox.add(entry, now);
        if (entry.nextAttemptAt > now) {
          wakeAt(entry.nextAttemptAt);
        } else if (!touched.contains(entry.group)) {
          touched.add(entry.group);
        }
      }
      touched.forEach(this::drain);
    });
  }

  /**
   * Takes those of {@code entries} (all naming this node as holder) that this node does not know it holds and
   * that are still pending, and answers how many. Only a split brain's merge makes such entries: the smaller
   * side's copy of an entry this node had already finished comes back into the map, where nobody would ever
   * send it. Still pending is asked last: the entries were read from the map a while ago (a query of the
   * whole map takes seconds under load), and one acknowledged since then has also left the outbox; taken
   * again it was sent again (runs past capacity resent up to a hundred handled events per scan). An entry
   * leaves the outbox only after its delete, so one found untracked and then still in the map is stranded.
   * Any thread.
   */
  Future<Integer> takeUntracked(Collection<PendingEntry> entries) {
    Promise<Integer> taken = Promise.promise();
    onContext(() -> {
      Set<String> tracked = new HashSet<>();
      outboxes.values().forEach(outbox -> {
        outbox.ready.forEach(e -> tracked.add(e.key()));
        outbox.waiting.forEach(e -> tracked.add(e.key()));
        outbox.flights.values().forEach(f -> tracked.add(f.entry.key()));
      });
      List<PendingEntry> untracked = entries.stream().filter(e -> !tracked.contains(e.key())).toList();
      List<Future<Boolean>> pending = untracked.stream().map(e -> store.exists(e.key(), context)).toList();
      Future.join(pending).onComplete(ar -> {
        List<PendingEntry> stranded = new ArrayList<>();
        for (int i = 0; i < untracked.size(); i++) {
          if (pending.get(i).succeeded() && pending.get(i).result()) {
            stranded.add(untracked.get(i));
          }
        }
        if (!stranded.isEmpty()) {
          stranded.forEach(e -> {
            meters.of(e.group).redelivered().increment();
            backlog.reserve(e.group);
          });
          take(stranded);
        }
        taken.complete(stranded.size());
      });
    });
    return taken.future();
  }

  /** A store that failed may have kept some entries: those are this node's to send like any other. */
  void takeWhatWasStored(List<PendingEntry> entries) {
    onContext(() -> entries.forEach(entry -> store.exists(entry.key(), context).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        take(List.of(entry));
      } else {
        backlog.left(entry.group, 1);
      }
    })));
  }

  /** A group may have gained a member or credit. Any thread. */
  void groupChanged(String group) {
    onContext(() -> drain(group));
  }

  /** A node left: what it held from this node goes to the other members, unless it was acknowledged. */
  void nodeLost(String node) {
    onContext(() -> outboxes.values().forEach(outbox -> {
      outbox.reached.remove(node);
      outbox.landAll(f -> f.member.equals(node)).forEach(f -> resendIfPending(outbox, f, "member left"));
    }));
  }

  private void drain(String group) {
    Outbox outbox = outboxes.get(group);
    if (outbox == null || outbox.ready.isEmpty()) {
      return;
    }
    List<MemberDirectory.GroupMember> members = directory.members(group);
    if (members.isEmpty()) {
      return;
    }
    long leaseUntil = clock.now() + settings.lease().toMillis();
    int dispatchers = directory.dispatchers();
    int n = members.size();
    for (int i = 0; i < n && !outbox.ready.isEmpty(); i++) {
      MemberDirectory.GroupMember member = members.get((outbox.rotation + i) % n);
      int share = Math.max(1, member.prefetch() / dispatchers);
      int count = Math.min(Math.min(share - outbox.inFlightAt(member.node()), outbox.ready.size()), MAX_BATCH);
      if (count <= 0) {
        continue;
      }
      JsonArray events = new JsonArray(new ArrayList<>(count));
      for (int k = 0; k < count; k++) {
        PendingEntry entry = outbox.ready.pollFirst();
        outbox.fly(entry, member.node(), leaseUntil);
        events.add(entry.toWire(entry.attempts + 1));
      }
      JsonObject batch = new JsonObject().put("from", self).put("events", events);
      String address = MessagingContract.memberAddress(group, member.node());
      if (outbox.reached.contains(member.node())) {
        vertx.eventBus().send(address, batch);
      } else {
        probe(outbox, member.node(), address, batch);
      }
    }
    // Whatever is left waits for credit: the next report frees some and drains again.
    outbox.rotation++;
  }

  /**
   * The first batch to a member goes as a request: this node may hear of the member (directory) before its
   * event bus knows the member's address, and a plain send would then vanish until the lease ran out.
   * Once the member has answered, sends need no answer.
   */
  private void probe(Outbox outbox, String member, String address, JsonObject batch) {
    vertx.eventBus().request(address, batch, new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS)).onComplete(ar -> {
      if (ar.succeeded()) {
        outbox.reached.add(member);
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        for (Object event : batch.getJsonArray("events")) {
          Outbox.Flight flight = outbox.land(((JsonObject) event).getString("id"));
          if (flight != null) {
            outbox.ready.addFirst(flight.entry);
          }
        }
        vertx.setTimer(PROBE_RETRY_MS, id -> drain(outbox.group));
      }
      // A timeout leaves the batch in flight: the member may have it, and the lease covers the rest.
    });
  }

  private void onReport(Message<JsonObject> message) {
    JsonObject report = message.body();
    String group = report.getString("group");
    Outbox outbox = outboxes.get(group);
    if (outbox == null) {
      return;
    }
    long now = clock.now();
    List<PendingEntry> acknowledged = new ArrayList<>();
    for (Object id : report.getJsonArray("acked", JsonArray.of())) {
      Outbox.Flight flight = outbox.land((String) id);
      if (flight != null) {
        acknowledged.add(flight.entry);
      }
    }
    for (Object raw : report.getJsonArray("failed", JsonArray.of())) {
      JsonObject failure = (JsonObject) raw;
      Outbox.Flight flight = outbox.land(failure.getString("id"));
      if (flight != null) {
        failed(outbox, flight.entry, failure.getString("error"), failure.getBoolean("permanent", false), now);
      }
    }
    for (Object id : report.getJsonArray("returned", JsonArray.of())) {
      Outbox.Flight flight = outbox.land((String) id);
      if (flight != null) {
        outbox.ready.addFirst(flight.entry);
      }
    }
    for (Object id : report.getJsonArray("holding", JsonArray.of())) {
      Outbox.Flight flight = outbox.flights.get((String) id);
      if (flight != null) {
        flight.leaseUntil = now + settings.lease().toMillis();
      }
    }
    if (!acknowledged.isEmpty()) {
      backlog.left(group, acknowledged.size());
      meters.of(group).acknowledged().increment(acknowledged.size());
      ackListener.accept(acknowledged);
    }
    drain(group);
  }

  /** One failed attempt: retried after a backoff, or a dead letter once past both limits. */
  private void failed(Outbox outbox, PendingEntry entry, String error, boolean permanent, long now) {
    entry.attempts++;
    entry.lastError = error;
    if (entry.firstFailureAt == 0) {
      entry.firstFailureAt = now;
    }
    meters.of(entry.group).failedAttempts().increment();
    if (settings.givesUp(entry.attempts, entry.firstFailureAt, now, permanent)) {
      PendingEntry dead = entry.copy();
      dead.deadAt = now;
      LOG.warning(() -> "event " + entry.key() + (permanent ? " refused for good" : " failed " + entry.attempts + " times")
          + ", moved to dead letters: " + error);
      store.deadLetter(dead, context).onComplete(ar -> {
        if (ar.succeeded()) {
          meters.of(entry.group).deadLettered().increment();
          backlog.left(entry.group, 1);
        } else {
          LOG.warning(() -> "could not move " + entry.key() + " to dead letters, retrying later: " + ar.cause());
          entry.nextAttemptAt = now + settings.backoff().delayMillis(entry.attempts);
          retryLater(outbox, entry);
        }
      });
      return;
    }
    entry.nextAttemptAt = now + settings.backoff().delayMillis(entry.attempts);
    retryLater(outbox, entry);
    store.recordFailure(entry.copy(), context).onComplete(ar -> {
      if (ar.succeeded() && !ar.result()) {
        // Acknowledged meanwhile (a copy handled elsewhere): nothing left to retry.
        if (outbox.waiting.remove(entry)) {
          backlog.left(entry.group, 1);
        }
      }
    });
  }

  private void retryLater(Outbox outbox, PendingEntry entry) {
    outbox.waiting.add(entry);
    wakeAt(entry.nextAttemptAt);
  }

  /** Sends an event again unless the store says it is acknowledged already. */
  private void resendIfPending(Outbox outbox, Outbox.Flight flight, String why) {
    store.exists(flight.entry.key(), context).onComplete(ar -> {
      if (ar.failed() || ar.result()) {
        LOG.fine(() -> "sending " + flight.entry.key() + " again: " + why);
        meters.of(outbox.group).redelivered().increment();
        outbox.ready.addFirst(flight.entry);
        drain(outbox.group);
      } else {
        backlog.left(outbox.group, 1);
      }
    });
  }

  /**
   * Flights nobody has said a word about for a whole lease: lost on the way there or back. Their member is
   * probed again before it gets plain sends: a plain send to an address the cluster no longer lists is
   * dropped without a word, and would be again every lease.
   */
  private void sweepLeases() {
    long now = clock.now();
    outboxes.values().forEach(outbox ->
        outbox.landAll(f -> f.leaseUntil < now).forEach(f -> {
          outbox.reached.remove(f.member);
          resendIfPending(outbox, f, "lease expired");
        }));
  }

  private void wakeAt(long at) {
    if (at >= wakeAt) {
      return;
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    wakeAt = at;
    wakeTimer = vertx.setTimer(Math.max(1, at - clock.now()), id -> wake());
  }

  private void wake() {
    wakeTimer = -1;
    wakeAt = Long.MAX_VALUE;
    long now = clock.now();
    long next = Long.MAX_VALUE;
    for (Outbox outbox : outboxes.values()) {
      next = Math.min(next, outbox.release(now));
      drain(outbox.group);
    }
    if (next != Long.MAX_VALUE) {
      wakeAt(next);
    }
  }

  private Outbox outbox(String group) {
    return outboxes.computeIfAbsent(group, g -> {
      Outbox outbox = new Outbox(g);
      meters.inFlight(g, outbox);
      return outbox;
    });
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
