package io.orderbus.messaging;

import java.util.Set;

/**
 * A consumer group: a name and the topics it consumes. Each event on those topics reaches the group
 * once, and within the group one member.
 */
public record GroupSpec(String name, Set<String> topics) {
  public GroupSpec {
    topics = Set.copyOf(topics);
  }
}
