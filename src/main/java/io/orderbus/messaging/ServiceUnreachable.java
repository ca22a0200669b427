package io.orderbus.messaging;

/**
 * A service that could not be asked: nobody serves its address ({@link #notRunning()}), or no answer came in
 * time ({@link #timedOut()}). Unlike a {@link ServiceFailure}, the service said nothing: the request may or may
 * not have been carried out.
 */
public final class ServiceUnreachable extends RuntimeException {
  private final String service;
  private final boolean timedOut;

  public ServiceUnreachable(String service, boolean timedOut, String message) {
    super(message, null, false, false);
    this.service = service;
    this.timedOut = timedOut;
  }

  public String service() {
    return service;
  }

  public boolean timedOut() {
    return timedOut;
  }

  public boolean notRunning() {
    return !timedOut;
  }
}
