package io.orderbus.messaging;

import java.util.Set;

/**
 * A consumer group: a name and the topics it consumes. Each event on those topics reaches the group
 * once, and within the group one member.
 */
public record GroupSpec(String name, Set<String> topics) {
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public GroupSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("group name '" + name + "': use 1-64 letters, digits, '.', '_' or '-'");
    }
    topics = Set.copyOf(topics);
  }
}
