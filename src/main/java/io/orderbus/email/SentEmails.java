package io.orderbus.email;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.ClusterClock;
import io.orderbus.messaging.HazelcastCalls;
import io.orderbus.messaging.PageCursor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * The cluster's record of sent mail, keyed {@code <to>/<key>}: what {@code GET /emails} lists, and what
 * makes every mailer send at most once per recipient and key. Blocking (Hazelcast calls), except
 * {@link #recordIfAbsent}: use the others off the event loop.
 *
 * <p>A mailer that cannot send and record in one step (SMTP) first <em>claims</em> the key: a claim
 * names its node and time, is not listed, and is taken over once older than the claim lifetime, in case
 * its node died mid-send.
 *
 * <p>A send that broke off without the server's answer leaves a <em>may-have-been-sent</em> mark instead of
 * nothing: the server may have the mail. Such an email, like one whose claim expired, is never cancelled;
 * the next send takes the mark over at once and sends the same message again.
 */
final class SentEmails {
  private final IMap<String, String> sent;
  private final ClusterClock clock;

  /**
   * What was found under a key: a sent email, someone's claim, a cancellation (never to be sent), or a mark
   * that an earlier send may have reached the server ({@code maybeSent}, with or without a live claim).
   */
  record Entry(SentEmail sent, String claimedBy, long claimedAt, boolean cancelled, boolean maybeSent) {
    /** Nobody sends it now, but a send of it broke off: it is sent again, never cancelled. */
    boolean marked() {
      return maybeSent && claimedBy == null;
    }
  }

  SentEmails(HazelcastInstance hazelcast) {
    this.sent = hazelcast.getMap(EmailContract.SENT_MAP);
    this.clock = ClusterClock.of(hazelcast);
  }

  /** The cluster's time: claims are aged, and sent mail is listed, across email nodes. */
  long now() {
    return clock.now();
  }

  /**
   * Records {@code email} unless one is recorded under its key already (a claim is replaced: this mailer's
   * "send" cannot fail half-way); the email that stands, on {@code context}. Not blocking.
   */
  Future<SentEmail> recordIfAbsent(SentEmail email, Context context) {
    return HazelcastCalls.on(sent.submitToKey(id(email.to(), email.key()), new RecordUnlessSent(email.toJson().encode())),
        context).compose(previous -> {
          if (previous == null) {
            return Future.succeededFuture(email);
          }
          Entry standing = parse(previous);
          return standing.cancelled() ? Future.failedFuture(cancelled(email.to(), email.key()))
              : Future.succeededFuture(standing.sent());
        });
  }

  /**
   * Makes sure the email under {@code key} is never sent, unless a send of it began: answers the email that
   * went out, or null once it is cancelled. A claim younger than {@code claimLifetimeMs} is a send in progress
   * whose outcome nobody knows yet: {@link EmailContract#BEING_SENT}. An older claim (its node died mid-send)
   * or a may-have-been-sent mark cannot be cancelled: {@link EmailContract#MAY_HAVE_BEEN_SENT}. Not blocking.
   */
  Future<SentEmail> cancel(String to, String key, long claimLifetimeMs, long now, Context context) {
    String step = new JsonObject().put("cancelledAt", now).put("claimLifetime", claimLifetimeMs).encode();
    return HazelcastCalls.on(sent.submitToKey(id(to, key), new CancelUnlessSent(step)), context).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture();
      }
      Entry standing = parse(previous);
      if (standing.sent() != null) {
        return Future.succeededFuture(standing.sent());
      }
      if (standing.claimedBy() != null && now - standing.claimedAt() <= claimLifetimeMs) {
        return Future.failedFuture(new EmailFailure(EmailContract.BEING_SENT, "the email '" + key + "' to " + to
            + " is being sent by " + standing.claimedBy() + "; its outcome is not known yet"));
      }
      return Future.failedFuture(new EmailFailure(EmailContract.MAY_HAVE_BEEN_SENT, "the email '" + key + "' to " + to
          + " may have reached the SMTP server (a send of it broke off): it is sent again, never cancelled"));
    });
  }

  static EmailFailure cancelled(String to, String key) {
    return new EmailFailure(EmailContract.CANCELLED, "the email '" + key + "' to " + to + " was cancelled: its order failed");
  }

  static boolean isClaim(String json) {
    return new JsonObject(json).containsKey("claimedBy");
  }

  static boolean isCancellation(String json) {
    return new JsonObject(json).containsKey("cancelledAt");
  }

  /** A may-have-been-sent mark with nobody sending: see {@link #release}. */
  static boolean isMark(String json) {
    return new JsonObject(json).containsKey("maybeSentSince");
  }

  /**
   * Claims the key for {@code node}, or takes over a may-have-been-sent mark or a claim older than
   * {@code claimLifetimeMs}; a claim taken over keeps saying that an earlier send may have reached the server.
   * Returns null when the claim is this node's now, else what stands in the way (a sent email, a live claim or
   * a cancellation).
   */
  Entry claim(String to, String key, String node, long claimLifetimeMs) {
    String id = id(to, key);
    long now = clock.now();
    JsonObject claim = new JsonObject().put("claimedBy", node).put("claimedAt", now);
    String previous = sent.putIfAbsent(id, claim.encode());
    if (previous == null) {
      return null;
    }
    Entry entry = parse(previous);
    boolean free = entry.marked()
        || (entry.claimedBy() != null && now - entry.claimedAt() > claimLifetimeMs);
    if (free && sent.replace(id, previous, claim.put("maybeSent", true).encode())) {
      return null;
    }
    return entry;
  }

  /** Replaces this node's claim with the email it sent. */
  void record(SentEmail email) {
    sent.set(id(email.to(), email.key()), email.toJson().encode());
  }

  /**
   * Gives up this node's claim, so that a later attempt may send. If the server may have the mail (this send
   * broke off without its answer, or an earlier one did), a may-have-been-sent mark stays in its place.
   */
  void release(String to, String key, String node, boolean mayHaveBeenSent) {
    String id = id(to, key);
    String current = sent.get(id);
    Entry entry = current == null ? null : parse(current);
    if (entry == null || !node.equals(entry.claimedBy())) {
      return;
    }
    if (mayHaveBeenSent || entry.maybeSent()) {
      sent.replace(id, current, new JsonObject().put("maybeSentSince", clock.now()).put("lastSentBy", node).encode());
    } else {
      sent.remove(id, current);
    }
  }

  /**
   * Sent emails, oldest first, at most {@code limit}, those after {@code after} if not null; all recipients'
   * if {@code to} is null. Claims and cancellations are not listed. Sorted and cut where the entries live.
   */
  List<SentEmail> list(String to, int limit, PageCursor after) {
    var page = Predicates.pagingPredicate(SentMailPaging.After.of(to, after), new SentMailPaging.OldestFirst(), limit);
    return sent.values(page).stream().map(SentEmails::parse).map(Entry::sent).filter(Objects::nonNull).toList();
  }

  /** Where a listing that ended with {@code email} goes on. */
  static PageCursor cursorOf(SentEmail email) {
    return new PageCursor(email.sentAt(), id(email.to(), email.key()));
  }

  static Entry parse(String json) {
    JsonObject value = new JsonObject(json);
    if (value.containsKey("cancelledAt")) {
      return new Entry(null, null, 0, true, false);
    }
    if (value.containsKey("maybeSentSince")) {
      return new Entry(null, null, 0, false, true);
    }
    return value.containsKey("claimedBy")
        ? new Entry(null, value.getString("claimedBy"), value.getLong("claimedAt"), false,
            value.getBoolean("maybeSent", false))
        : new Entry(SentEmail.fromJson(value), null, 0, false, false);
  }

  private static String id(String to, String key) {
    return to + "/" + key;
  }
}
