package io.orderbus.email;

import io.orderbus.messaging.DomainFailure;

/** A domain failure of the email service, with its {@link EmailContract} code. */
public final class EmailFailure extends DomainFailure {
  public EmailFailure(int code, String message) {
    super(code, message);
  }
}
