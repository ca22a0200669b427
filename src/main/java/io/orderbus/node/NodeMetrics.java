package io.orderbus.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One node's meters (its delivery, its gateway's requests, its JVM), every one tagged with the node's
 * name. Not every node has an HTTP port, so a node answers for its meters on the event bus
 * ({@link #address}), and any gateway's {@code /metrics} gathers them from every live node.
 */
public final class NodeMetrics {
  private static final String ADDRESS_PREFIX = "orderbus.metrics.";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** GC pauses ({@code jvm_gc_pause_seconds}), for the cost benchmark; it listens to the JVM's collectors until closed. */
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public NodeMetrics(String nodeName) {
    registry.config().commonTags("node", nodeName);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where the node with this Vert.x node id answers with its meters in the Prometheus text format. */
  static String address(String nodeId) {
    return ADDRESS_PREFIX + nodeId;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Starts answering on {@link #address}; completes once the cluster knows the consumer. */
  Future<Void> serve(Vertx vertx, String nodeId) {
    MessageConsumer<String> consumer = vertx.eventBus().consumer(address(nodeId), message -> message.reply(registry.scrape()));
    return consumer.completion();
  }

  /** Stops listening to the JVM's collectors: several nodes come and go in one test JVM. */
  void close() {
    gc.close();
  }
}
