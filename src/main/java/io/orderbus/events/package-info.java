/**
 * The published language: what each service publishes (topic names and payload records) and the values
 * those payloads share ({@link io.orderbus.events.Line}). It depends on no service, so a service that consumes
 * another's events imports this package, not that service: order, inventory and email follow each other's
 * events without importing each other in a circle. A topic belongs to its publisher's class here.
 */
package io.orderbus.events;
