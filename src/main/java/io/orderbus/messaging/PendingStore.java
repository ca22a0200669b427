package io.orderbus.messaging;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * The cluster's copy of every event not yet acknowledged: one entry per (group, event) in a partitioned
 * map with one synchronous backup, and the dead letters beside it. Stores are batched, one putAll per
 * batch; every other change is made per key where the entry lives.
 */
final class PendingStore {
  /** Entries per putAll, and how long the first of a batch may wait for more. */
  private static final int BATCH_SIZE = 256;
  private static final long BATCH_DELAY_MS = 1;
  /**
   * Where the putAll calls are made. Hazelcast's putAll, async or not, first waits on the calling thread
   * (sleeping in 10 ms steps) until every partition of the cluster has an owner: after a member is lost,
   * until its backups are promoted, 2-4 s measured in chaos runs. Made on an event loop it froze the node's
   * HTTP and event-bus work for that long; here only this thread waits.
   */
  private static final Executor STORE_CALLS = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "orderbus-pending-store");
    thread.setDaemon(true);
    return thread;
  });

  private final IMap<String, PendingEntry> pending;
  private final IMap<String, PendingEntry> deadLetters;
  private final Batcher<StoreRequest> batcher;
  private final ClusterClock clock;
  private volatile BiConsumer<List<PendingEntry>, Throwable> onStored = (entries, failure) -> { };

  /** One publish waiting for its batch; its promise is completed on the publisher's own context. */
  private record StoreRequest(List<PendingEntry> entries, Promise<Void> stored, Context context) {
  }

  PendingStore(Vertx vertx, HazelcastInstance hazelcast, ClusterClock clock) {
    this.clock = clock;
    this.pending = hazelcast.getMap(MessagingContract.PENDING_MAP);
    this.deadLetters = hazelcast.getMap(MessagingContract.DEAD_LETTER_MAP);
    this.batcher = new Batcher<>(vertx, BATCH_SIZE, BATCH_DELAY_MS, batch -> STORE_CALLS.execute(() -> storeBatch(batch)));
  }

  /**
   * Hears of every batch this node stored, on the Hazelcast thread that saw it done; with the failure if
   * the putAll failed, in which case some of the entries may be stored and others not.
   */
  void onStored(BiConsumer<List<PendingEntry>, Throwable> listener) {
    this.onStored = listener;
  }

  IMap<String, PendingEntry> pendingMap() {
    return pending;
  }

  IMap<String, PendingEntry> deadLetterMap() {
    return deadLetters;
  }

  /** Stores the entries of one publish; succeeds on {@code context} once every one has its backup. */
  Future<Void> store(List<PendingEntry> entries, Context context) {
    Promise<Void> stored = Promise.promise();
    batcher.add(new StoreRequest(entries, stored, context));
    return stored.future();
  }

  private void storeBatch(List<StoreRequest> requests) {
    Map<String, PendingEntry> batch = new HashMap<>();
    requests.forEach(r -> r.entries().forEach(e -> batch.put(e.key(), e)));
    CompletionStage<Void> stored;
    try {
      stored = pending.putAllAsync(batch);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    stored.whenCompleteAsync((v, failure) -> {
      List<PendingEntry> all = new ArrayList<>(batch.size());
      requests.forEach(r -> all.addAll(r.entries()));
      onStored.accept(all, failure);
      // One hop per publishing context, not per event.
      Map<Context, List<Promise<Void>>> byContext = new IdentityHashMap<>();
      requests.forEach(r -> byContext.computeIfAbsent(r.context(), c -> new ArrayList<>()).add(r.stored()));
      byContext.forEach((context, promises) -> context.runOnContext(x -> promises.forEach(p -> {
        if (failure != null) {
          p.fail(failure);
        } else {
          p.complete();
        }
      })));
    }, HazelcastCalls.WHERE_COMPLETED);
  }

  /** The acknowledgement: the entry is gone for good. */
  Future<Void> remove(String key, Context context) {
    return HazelcastCalls.on(pending.removeAsync(key), context).mapEmpty();
  }

  Future<Boolean> exists(String key, Context context) {
    return HazelcastCalls.on(pending.getAsync(key), context).map(e -> e != null);
  }

  /** Writes a failed attempt's count, error and next time; false if the entry is gone meanwhile. */
  Future<Boolean> recordFailure(PendingEntry entry, Context context) {
    return HazelcastCalls.on(pending.submitToKey(entry.key(), new PendingProcessors.RecordFailure(entry)),
        context);
  }

  /** Into the dead letters first, then out of pending: a crash between the two duplicates, never loses. */
  Future<Void> deadLetter(PendingEntry dead, Context context) {
    return HazelcastCalls.on(deadLetters.setAsync(dead.key(), dead), context)
        .compose(v -> remove(dead.key(), context));
  }

  /**
   * Entries {@code holder} answers for whose time came before {@code before}, wherever they live: what it
   * should be sending or have in flight. Blocking; a query of the whole map, so only for the safety scan.
   */
  Collection<PendingEntry> overdueHeldBy(String holder, long before) {
    return pending.values(Predicates.and(Predicates.equal("holder", holder), Predicates.lessThan("nextAttemptAt", before)));
  }

  /** Keys of this member's partitions whose holder is not in {@code live}. Blocking. */
  Set<String> localOrphans(Set<String> live) {
    return pending.localKeySet(Predicates.not(Predicates.in("holder", live.toArray(new String[0]))));
  }

  Future<PendingEntry> adopt(String key, Set<String> live, String adopter, Context context) {
    return HazelcastCalls.on(pending.submitToKey(key, new PendingProcessors.Adopt(live, adopter)), context);
  }

  /**
   * Back to pending before it leaves the dead letters, so a crash in between leaves it in both places
   * rather than in neither. {@code fresh} is false when it was already pending (a replay racing another):
   * then this node must not send it too. Fails with {@code DEAD_LETTER_NOT_FOUND} if there is no such one.
   */
  Future<Replayed> replay(String id, String holder, Context context) {
    return HazelcastCalls.on(deadLetters.getAsync(id), context).compose(dead -> {
      if (dead == null) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
            MessagingContract.DEAD_LETTER_NOT_FOUND, "no dead letter '" + id + "'"));
      }
      PendingEntry entry = dead.copy();
      entry.attempts = 0;
      entry.firstFailureAt = 0;
      entry.deadAt = 0;
      entry.holder = holder;
      entry.nextAttemptAt = clock.now();
      return HazelcastCalls.on(pending.submitToKey(entry.key(), new PendingProcessors.PutIfAbsent(entry)), context)
          .compose(fresh -> HazelcastCalls.on(deadLetters.removeAsync(id), context)
              .map(v -> new Replayed(entry, fresh)));
    });
  }

  record Replayed(PendingEntry entry, boolean fresh) {
  }
}
