package io.orderbus.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** What the gateway tells about the node it runs on and the cluster around it. */
public interface ClusterView {

  String nodeName();

  /** Cluster joined and every role of this node deployed. */
  boolean ready();

  /** Live nodes with their roles, and per consumer group its backlog. */
  Future<JsonObject> describe();

  /** Every live node's meters and the consumer groups' state, in the Prometheus text format. */
  Future<String> metrics();
}
