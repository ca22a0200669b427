package io.orderbus.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.core.HazelcastInstance;
import io.orderbus.messaging.MemberDirectory;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether this member's partitions have their backups in sync, checked by this member alone on a thread of
 * its own; each node reports it in its registry entry and {@code GET /cluster} says the cluster is safe when
 * every live member's latest report, made with today's member set, says so. A check (it asks the backups of
 * every partition this member owns) runs when members or partitions move, then every quarter second until
 * it passes, and otherwise every {@value #RECHECK_EVERY_MS} ms: an idle cluster pays next to nothing.
 * <p>
 * Not Hazelcast's {@code isClusterSafe()}: that sends every member an operation that runs on one of its
 * generic operation threads and, when a member has just died, waits there up to 10 s for replica checks
 * the dead member never answers. Every other generic operation of that member (a putAll of pending
 * events among them) waited behind it: async orders timed out right after a node was killed while
 * someone read {@code /cluster}.
 */
final class BackupSafety {
  private static final long RETRY_EVERY_MS = 250;
  private static final long RECHECK_EVERY_MS = 10_000;
  /** Three registry refreshes missed. */
  static final long REPORT_STALE_MS = 3_000;
  private static final Logger LOG = Logger.getLogger(BackupSafety.class.getName());

  /** The latest check: its answer and the members it was made among. */
  private record Report(boolean inSync, String members) {
  }

  private final HazelcastInstance hazelcast;
  private volatile Report latest = new Report(false, "");
  private volatile boolean stopped;
  /** Released when members or partitions moved: check again now. */
  private final Semaphore moved = new Semaphore(0);

  private BackupSafety(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /** Starts checking at once and keeps on until {@link #stop()} or until Hazelcast is gone. */
  static BackupSafety start(HazelcastInstance hazelcast) {
    BackupSafety safety = new BackupSafety(hazelcast);
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        safety.moved.release();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        safety.moved.release();
      }
    });
    hazelcast.getPartitionService().addMigrationListener(new MigrationListener() {
      @Override
      public void migrationStarted(MigrationState state) {
        safety.moved.release();
      }

      @Override
      public void migrationFinished(MigrationState state) {
        safety.moved.release();
      }

      @Override
      public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
      }

      @Override
      public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        safety.moved.release();
      }
    });
    Thread thread = new Thread(safety::checkForever, "orderbus-backup-safety");
    thread.setDaemon(true);
    thread.start();
    return safety;
  }

  void stop() {
    stopped = true;
    moved.release();
  }

  /** For this node's registry entry, written at {@code now} (cluster time). */
  JsonObject toJson(long now) {
    Report report = latest;
    return json(report.inSync(), report.members(), now);
  }

  /** A report as a registry entry carries it: made among {@code memberIds}, written at {@code at}. */
  static JsonObject report(boolean inSync, Collection<String> memberIds, long at) {
    return json(inSync, memberSet(memberIds), at);
  }

  private static JsonObject json(boolean inSync, String memberSet, long at) {
    return new JsonObject().put("inSync", inSync).put("members", memberSet).put("reportedAt", at);
  }

  /**
   * True when every member of {@code members} (their {@link MemberDirectory#idOf ids}) has an entry among
   * {@code liveNodes} whose backup report says in sync and was made with exactly these members: a report from
   * before a member left or joined says nothing about the partitions moved since, and one written more than
   * {@value #REPORT_STALE_MS} ms before {@code now} (cluster time) may come from a node that stands still or
   * is gone before Hazelcast has noticed. A member that is not an orderbus node (it has no entry) makes the
   * cluster not safe: nobody vouches for its partitions.
   */
  static boolean clusterSafe(Collection<JsonObject> liveNodes, Collection<String> members, long now) {
    return liveNodes.size() == members.size() && reportsSafe(liveNodes, members, now);
  }

  /**
   * Every report among {@code liveNodes} says in sync, made among {@code members}, lately; members without an
   * entry are not asked. For a node about to say it is ready, whose peers may not have written theirs yet:
   * its own check covers the partition table, the migrations the master plans, and its own partitions.
   */
  static boolean reportsSafe(Collection<JsonObject> liveNodes, Collection<String> members, long now) {
    String memberSet = memberSet(members);
    return !liveNodes.isEmpty() && liveNodes.stream()
        .map(n -> n.getJsonObject("backups", new JsonObject()))
        .allMatch(b -> b.getBoolean("inSync", false) && memberSet.equals(b.getString("members"))
            && now - b.getLong("reportedAt", 0L) <= REPORT_STALE_MS);
  }

  private void checkForever() {
    while (!stopped && hazelcast.getLifecycleService().isRunning()) {
      try {
        moved.drainPermits();
        latest = check();
        moved.tryAcquire(latest.inSync() ? RECHECK_EVERY_MS : RETRY_EVERY_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Report check() {
    try {
      String before = memberSet(ids(hazelcast.getCluster().getMembers()));
      boolean inSync = hazelcast.getPartitionService().isLocalMemberSafe();
      // A member that joined or left during the check may have moved partitions it did not look at.
      String after = memberSet(ids(hazelcast.getCluster().getMembers()));
      return new Report(inSync && before.equals(after), after);
    } catch (RuntimeException e) {
      // Hazelcast shutting down, or a check that failed: not in sync until a check says so.
      LOG.log(Level.FINE, "backup check failed", e);
      return new Report(false, "");
    }
  }

  private static List<String> ids(Set<Member> members) {
    return members.stream().map(MemberDirectory::idOf).toList();
  }

  /** A short, order-free name of a member set. */
  private static String memberSet(Collection<String> ids) {
    return Integer.toHexString(String.join(",", new TreeSet<>(ids)).hashCode());
  }
}
