package io.orderbus.node;

/** Where the inventory keeps its stock: in the cluster's memory or in PostgreSQL. */
public enum StockStoreKind {
  HAZELCAST, POSTGRES
}
