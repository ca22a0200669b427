package io.orderbus.messaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What one node answers for in one group: events ready to go, events waiting for their time (a delay or
 * a backoff), and events handed to a member and not yet reported on, counted per member so that no member
 * is handed more than its share of credit. Used on the dispatcher's context only.
 */
final class Outbox {

  /** An event handed to {@code member}; if nothing is heard of it by {@code leaseUntil}, it is checked. */
  static final class Flight {
    final PendingEntry entry;
    final String member;
    long leaseUntil;

    Flight(PendingEntry entry, String member, long leaseUntil) {
      this.entry = entry;
      this.member = member;
      this.leaseUntil = leaseUntil;
    }
  }

  final String group;
  final ArrayDeque<PendingEntry> ready = new ArrayDeque<>();
  final PriorityQueue<PendingEntry> waiting = new PriorityQueue<>(Comparator.comparingLong(e -> e.nextAttemptAt));
  final Map<String, Flight> flights = new HashMap<>();
  /** {@code flights.size()}, readable from any thread (meters, {@code /cluster}). */
  private volatile int inFlight;
  private final Map<String, Integer> perMember = new HashMap<>();
  /** Members that have answered a batch from this node: their address is known here, plain sends reach them. */
  final java.util.Set<String> reached = new java.util.HashSet<>();
  int rotation;

  Outbox(String group) {
    this.group = group;
  }

  void add(PendingEntry entry, long now) {
    if (entry.nextAttemptAt > now) {
      waiting.add(entry);
    } else {
      ready.addLast(entry);
    }
  }

  int inFlight() {
    return inFlight;
  }

  int inFlightAt(String member) {
    return perMember.getOrDefault(member, 0);
  }

  Flight fly(PendingEntry entry, String member, long leaseUntil) {
    Flight flight = new Flight(entry, member, leaseUntil);
    flights.put(entry.eventId, flight);
    perMember.merge(member, 1, Integer::sum);
    inFlight = flights.size();
    return flight;
  }

  /** The flight of {@code eventId}, no longer in flight; null if this node did not have it in flight. */
  Flight land(String eventId) {
    Flight flight = flights.remove(eventId);
    if (flight != null) {
      perMember.computeIfPresent(flight.member, (m, n) -> n > 1 ? n - 1 : null);
      inFlight = flights.size();
    }
    return flight;
  }

  /** Lands every flight that matches, e.g. those of a member that left. */
  List<Flight> landAll(java.util.function.Predicate<Flight> which) {
    List<Flight> out = new ArrayList<>();
    for (Flight flight : List.copyOf(flights.values())) {
      if (which.test(flight)) {
        land(flight.entry.eventId);
        out.add(flight);
      }
    }
    return out;
  }

  /** Moves the events whose time has come to the ready queue; returns when the next one is due. */
  long release(long now) {
    while (!waiting.isEmpty() && waiting.peek().nextAttemptAt <= now) {
      ready.addLast(waiting.poll());
    }
    return waiting.isEmpty() ? Long.MAX_VALUE : waiting.peek().nextAttemptAt;
  }
}
