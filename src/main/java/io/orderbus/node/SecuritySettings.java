package io.orderbus.node;

/**
 * Who may talk to a node: the bearer token of the operator API, and the certificates of the event bus. The
 * token is left out of {@link #toString()}.
 */
public record SecuritySettings(String adminToken, EventBusTls eventBusTls) {

  static SecuritySettings read(SettingsReader in) {
    return new SecuritySettings(in.text("adminToken"), EventBusTls.read(in));
  }

  @Override
  public String toString() {
    return "SecuritySettings[adminToken=(secret), eventBusTls=" + eventBusTls + "]";
  }
}
