package io.orderbus.node;

/** How events travel between services: kept until handled, or sent once over the event bus alone. */
public enum DeliveryMode {
  DURABLE, BARE
}
