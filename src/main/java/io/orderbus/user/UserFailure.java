package io.orderbus.user;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of sign-up, with its {@link UserContract} code. */
public final class UserFailure extends DomainFailure {
  public UserFailure(int code, String message) {
    super(code, message);
  }

  /** A failure that passes: a retry after {@code retryAfterSeconds} may succeed. */
  public UserFailure(int code, String message, int retryAfterSeconds) {
    super(code, message, null, retryAfterSeconds);
  }
}
