package io.orderbus.node;

/**
 * The PEM files of event-bus TLS with mutual authentication: this node's key and certificate, and the CA that
 * signs every node's. All three blank: a plain event bus.
 */
public record EventBusTls(String keyPath, String certPath, String caPath) {

  static EventBusTls read(SettingsReader in) {
    return new EventBusTls(in.text("eventBusKeyPath"), in.text("eventBusCertPath"), in.text("eventBusCaPath"));
  }

  boolean none() {
    return keyPath.isBlank() && certPath.isBlank() && caPath.isBlank();
  }

  boolean complete() {
    return !keyPath.isBlank() && !certPath.isBlank() && !caPath.isBlank();
  }
}
