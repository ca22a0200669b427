package io.orderbus.messaging;

/**
 * A failure a service means to report, with the code from its contract. The messaging edge
 * ({@link Replies}) turns it into {@code message.fail(code, message)}; anything else is an internal error.
 */
public abstract class DomainFailure extends RuntimeException {
  private final int code;

  protected DomainFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
