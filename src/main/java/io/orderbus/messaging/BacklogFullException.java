package io.orderbus.messaging;

/** A group's backlog is at its bound; nothing was stored, the producer should retry after a while. */
public final class BacklogFullException extends RuntimeException {
  private final String group;
  private final int retryAfterSeconds;

  public BacklogFullException(String group, long backlog, int retryAfterSeconds) {
    super("group '" + group + "' has " + backlog + " events pending, at its bound; retry in " + retryAfterSeconds + " s");
    this.group = group;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String group() {
    return group;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
