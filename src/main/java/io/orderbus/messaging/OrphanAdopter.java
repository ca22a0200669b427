package io.orderbus.messaging;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Takes over the entries of nodes that left. Every entry names the node that answers for it; when that
 * node is gone, the node that now owns the entry's partition adopts it (atomically, where it lives) and
 * dispatches it. Scans run every {@code orphanScanInterval} for a minute after a node left, while
 * Hazelcast moves the dead node's partitions to their backups, and every half minute as a safety net.
 * The safety net also finds entries naming this node that it lost track of (see {@link #rescueStranded}).
 */
final class OrphanAdopter {
  private static final Logger LOG = Logger.getLogger(OrphanAdopter.class.getName());
  private static final long WATCH_AFTER_LOSS_MS = 60_000;
  private static final long SAFETY_SCAN_MS = 30_000;

  private final Vertx vertx;
  private final PendingStore store;
  private final MemberDirectory directory;
  private final Dispatcher dispatcher;
  private final BacklogGauge backlog;
  private final DeliveryMeters meters;
  private final long interval;
  private final long leaseMs;
  /** Entries' times are the cluster's: the overdue cut-off must be too. */
  private final ClusterClock clock;
  private Context context;
  private volatile long watchUntil;
  private long lastScan;
  private long lastStrandedScan;
  private boolean scanning;

  OrphanAdopter(Vertx vertx, PendingStore store, MemberDirectory directory, Dispatcher dispatcher,
                BacklogGauge backlog, DeliveryMeters meters, long interval, long leaseMs, ClusterClock clock) {
    this.vertx = vertx;
    this.store = store;
    this.directory = directory;
    this.dispatcher = dispatcher;
    this.backlog = backlog;
    this.meters = meters;
    this.interval = interval;
    this.leaseMs = leaseMs;
    this.clock = clock;
  }

  /** Starts on the caller's context, with a scan for what an earlier node left behind. */
  Future<Void> start() {
    context = vertx.getOrCreateContext();
    vertx.setPeriodic(interval, id -> tick());
    scan();
    return Future.succeededFuture();
  }

  /**
   * A node left: look for its entries now and while its partitions move. Any thread. The watch is timed on
   * this JVM's clock; adoption itself asks only whether the holder is alive, never how old an entry is.
   */
  void nodeLost() {
    watchUntil = System.currentTimeMillis() + WATCH_AFTER_LOSS_MS;
    context.runOnContext(v -> scan());
  }

  private void tick() {
    long now = System.currentTimeMillis();
    if (now - lastStrandedScan >= SAFETY_SCAN_MS) {
      lastStrandedScan = now;
      rescueStranded();
    }
    if (now < watchUntil || now - lastScan >= SAFETY_SCAN_MS) {
      scan();
    }
  }

  /**
   * Entries naming this node that it does not know it holds, and whose time came a whole lease ago: after a
   * split brain's merge brought back copies of entries finished meanwhile, nobody else would ever send them.
   */
  private void rescueStranded() {
    String self = directory.self();
    long before = clock.now() - leaseMs;
    vertx.executeBlocking(() -> store.overdueHeldBy(self, before), false)
        .compose(dispatcher::takeUntracked)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.fine(() -> "stranded scan failed: " + ar.cause());
          } else if (ar.result() > 0) {
            LOG.warning(() -> ar.result() + " pending events named this node but were not in its outbox"
                + " (back from a split brain's merge): sending them again");
          }
        });
  }

  private void scan() {
    if (scanning) {
      return;
    }
    scanning = true;
    lastScan = System.currentTimeMillis();
    Set<String> live = directory.liveNodes();
    String self = directory.self();
    vertx.executeBlocking(() -> store.localOrphans(live), false).onComplete(ar -> {
      scanning = false;
      if (ar.failed()) {
        LOG.fine(() -> "orphan scan failed: " + ar.cause());
        return;
      }
      for (String key : ar.result()) {
        store.adopt(key, live, self, context).onSuccess(entry -> {
          if (entry != null) {
            meters.of(entry.group).redelivered().increment();
            backlog.reserve(entry.group);
            dispatcher.take(List.of(entry));
          }
        });
      }
    });
  }
}
