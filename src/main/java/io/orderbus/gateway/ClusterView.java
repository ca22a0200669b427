package io.orderbus.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** What the gateway tells about the node it runs on and the cluster around it. */
public interface ClusterView {

  String nodeName();

  /** Cluster joined and every role of this node deployed. */
  boolean ready();

  /** Live nodes with their roles, and per consumer group its backlog. */
  Future<JsonObject> describe();

  /**
   * Live nodes as each last reported itself (name, roles, groups, in flight per group, start time), sorted by name:
   * the part of {@link #describe()} that costs no walk over the pending events, for a view refreshed every second.
   */
  Future<List<JsonObject>> nodes();

  /**
   * The cluster's time (epoch ms, as every member agrees on it): for a deadline that another node checks, such as
   * the moment the gateway stops waiting for an order to be placed.
   */
  long clusterTime();

  /** Every live node's meters and the consumer groups' state, in the Prometheus text format. */
  Future<String> metrics();
}
