package io.orderbus.messaging;

/**
 * Thrown (or failed with) by a handler for an event it can never accept, such as a payload it cannot
 * read: the event goes to the dead letters at once instead of being retried.
 */
public class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message) {
    super(message);
  }

  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
