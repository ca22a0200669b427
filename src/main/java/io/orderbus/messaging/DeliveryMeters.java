package io.orderbus.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable path's meters on one node, per consumer group: what this node published and saw
 * acknowledged, what its members handled, and what went wrong. Counters are looked up once per group.
 */
final class DeliveryMeters {

  /** One group's counters on a node that publishes to it or sends its events. */
  record Group(Counter published, Counter refused, Counter acknowledged, Counter failedAttempts,
               Counter deadLettered, Counter redelivered) {
  }

  /** One group's counters on a node that is a member of it. */
  record Member(Counter handled, Counter handlerFailed, Counter overCredit) {
  }

  private final MeterRegistry registry;
  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final Map<String, Member> members = new ConcurrentHashMap<>();

  DeliveryMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  Group of(String group) {
    return groups.computeIfAbsent(group, g -> new Group(
        counter("orderbus.delivery.published", "events this node stored for the group", g, null),
        counter("orderbus.delivery.refused", "publishes this node refused because the group's backlog was full", g, null),
        counter("orderbus.delivery.acknowledged", "events this node sent and saw acknowledged (and deleted)", g, null),
        counter("orderbus.delivery.failed.attempts", "attempts of events this node sent whose handler failed", g, null),
        counter("orderbus.delivery.dead.lettered", "events this node moved to the dead letters", g, null),
        counter("orderbus.delivery.redelivered",
            "events this node sent again because their member left or went silent, or adopted from a node that left", g, null)));
  }

  Member member(String group) {
    return members.computeIfAbsent(group, g -> new Member(
        counter("orderbus.delivery.handled", "events this node's member of the group handled", g, "ok"),
        counter("orderbus.delivery.handled", "events this node's member of the group handled", g, "failed"),
        counter("orderbus.delivery.over.credit", "events handed to this node's member beyond its credit, sent back", g, null)));
  }

  /** Events of the group this node handed to members and has not yet heard back about. */
  void inFlight(String group, Outbox outbox) {
    Gauge.builder("orderbus.delivery.in.flight", outbox, Outbox::inFlight)
        .description("events of the group this node sent and has not seen acknowledged").tag("group", group)
        .register(registry);
  }

  /** What this node's member of the group holds, handles and queues now, against its credit. */
  void intake(String group, MemberIntake intake) {
    Gauge.builder("orderbus.delivery.handling", intake, MemberIntake::handling)
        .description("events this node's member of the group is handling now").tag("group", group).register(registry);
    Gauge.builder("orderbus.delivery.queued", intake, MemberIntake::queued)
        .description("events waiting in this node's member of the group for a free slot").tag("group", group)
        .register(registry);
    Gauge.builder("orderbus.delivery.held", intake, MemberIntake::held)
        .description("events this node's member of the group holds unacknowledged").tag("group", group)
        .register(registry);
    Gauge.builder("orderbus.delivery.held.max", intake, MemberIntake::heldMost)
        .description("the most events this node's member of the group has held at once").tag("group", group)
        .register(registry);
    Gauge.builder("orderbus.delivery.credit", intake, MemberIntake::prefetch)
        .description("events this node's member of the group may hold at once (prefetch)").tag("group", group)
        .register(registry);
  }

  private Counter counter(String name, String description, String group, String outcome) {
    Counter.Builder builder = Counter.builder(name).description(description).tag("group", group);
    if (outcome != null) {
      builder.tag("outcome", outcome);
    }
    return builder.register(registry);
  }
}
