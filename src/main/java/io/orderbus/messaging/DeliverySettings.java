package io.orderbus.messaging;

import java.time.Duration;

/**
 * Tuning of durable delivery.
 *
 * @param ackTimeout          how long a member has to acknowledge before the event is redelivered
 * @param redeliveryInterval  how often each node looks for overdue entries it owns
 * @param maxAttempts         failed attempts before an event becomes a dead letter
 * @param backoff             delay between attempts
 * @param maxInFlight         events a node has handed to a group's members and not yet seen acknowledged
 * @param consumerConcurrency events one member handles at once; more wait in its queue
 * @param maxBacklog          pending events a group may have before producers are refused
 */
public record DeliverySettings(Duration ackTimeout, Duration redeliveryInterval, int maxAttempts, Backoff backoff,
                               int maxInFlight, int consumerConcurrency, int maxBacklog) {
}
