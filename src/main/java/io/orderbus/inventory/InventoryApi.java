package io.orderbus.inventory;

import io.orderbus.inventory.InventoryContract.Catalog;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.inventory.InventoryContract.StockLevel;
import io.orderbus.messaging.ServiceBinder;
import io.orderbus.messaging.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the inventory service does for its callers, on the event bus at the addresses of {@link InventoryContract}.
 * Failures are {@link InventoryFailure}s with the contract's codes; a caller sees them as
 * {@link io.orderbus.messaging.ServiceFailure}s with the same code and details.
 */
public interface InventoryApi {

  /** Reserves every line or none: fails with OUT_OF_STOCK or UNKNOWN_SKU naming the SKU. Idempotent per order. */
  Future<Reservation> reserve(ReserveRequest request);

  /** Gives back what the order reserved, and makes sure a reservation still on its way takes nothing. Idempotent. */
  Future<Reservation> release(String orderId);

  /** A SKU's level, or UNKNOWN_SKU. */
  Future<StockLevel> level(String sku);

  /** Sets a SKU's available quantity from a client's body {@code {"available": n}}, creating the SKU if new. */
  Future<StockLevel> set(String sku, JsonObject body);

  /** The levels of those of {@code skus} that exist; all SKUs when {@code skus} is null. */
  Future<Catalog> catalog(Set<String> skus);

  /** Serves {@code api} on the contract's addresses. */
  static ServiceBinder serve(ServiceBinder binder, InventoryApi api) {
    return binder
        .serve(InventoryContract.RESERVE, ReserveRequest::fromJson, api::reserve, Reservation::toJson)
        .serve(InventoryContract.RELEASE, json -> json.getString("orderId"), api::release, Reservation::toJson)
        .serve(InventoryContract.GET, json -> json.getString("sku"), api::level, StockLevel::toJson)
        .serve(InventoryContract.SET, json -> json, json -> api.set(json.getString("sku"),
            json.getValue("body") instanceof JsonObject body ? body : null), StockLevel::toJson)
        .serve(InventoryContract.CATALOG, json -> json.getJsonArray("skus"), skus -> api.catalog(skus == null ? null
            : new TreeSet<>(skus.stream().map(String::valueOf).toList())), Catalog::toJson);
  }

  /** Asks the inventory service across the cluster, waiting {@code timeout} for each answer. */
  static InventoryApi client(Vertx vertx, Duration timeout) {
    ServiceClient client = new ServiceClient(vertx, "inventory", timeout);
    return new InventoryApi() {
      @Override
      public Future<Reservation> reserve(ReserveRequest request) {
        return client.ask(InventoryContract.RESERVE, request.toJson(), Reservation::fromJson);
      }

      @Override
      public Future<Reservation> release(String orderId) {
        return client.ask(InventoryContract.RELEASE, new JsonObject().put("orderId", orderId), Reservation::fromJson);
      }

      @Override
      public Future<StockLevel> level(String sku) {
        return client.ask(InventoryContract.GET, new JsonObject().put("sku", sku), StockLevel::fromJson);
      }

      @Override
      public Future<StockLevel> set(String sku, JsonObject body) {
        return client.ask(InventoryContract.SET, new JsonObject().put("sku", sku).put("body", body), StockLevel::fromJson);
      }

      @Override
      public Future<Catalog> catalog(Set<String> skus) {
        JsonObject request = skus == null ? new JsonObject() : new JsonObject().put("skus", new JsonArray(new ArrayList<>(skus)));
        return client.ask(InventoryContract.CATALOG, request, Catalog::fromJson);
      }
    };
  }
}
