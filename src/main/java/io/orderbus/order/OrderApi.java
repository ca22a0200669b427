package io.orderbus.order;

import io.orderbus.messaging.ServiceBinder;
import io.orderbus.messaging.ServiceClient;
import io.orderbus.order.OrderContract.PlaceOrder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * What the order service does for its callers, on the event bus at the addresses of {@link OrderContract}.
 * Failures are {@link OrderFailure}s with the contract's codes.
 */
public interface OrderApi {

  /**
   * Validates and places an order on the path the request names; past the request's deadline nothing is placed
   * ({@link OrderContract#REQUEST_EXPIRED}). The async path answers the order ACCEPTED, the sync path as it ended.
   */
  Future<Order> place(PlaceOrder request);

  /** The order as stored now, or ORDER_NOT_FOUND. */
  Future<Order> get(String id);

  /** Serves {@code api} on the contract's addresses. */
  static ServiceBinder serve(ServiceBinder binder, OrderApi api) {
    return binder
        .serve(OrderContract.PLACE, PlaceOrder::fromJson, api::place, Order::toJson)
        .serve(OrderContract.GET, json -> json.getString("id"), api::get, Order::toJson);
  }

  /**
   * Asks the order service across the cluster: {@link #get} waits {@code timeout}; {@link #place} waits
   * {@code placeTimeout}, as the sync path waits for inventory and email in turn.
   */
  static OrderApi client(Vertx vertx, Duration timeout, Duration placeTimeout) {
    ServiceClient client = new ServiceClient(vertx, "order", timeout);
    return new OrderApi() {
      @Override
      public Future<Order> place(PlaceOrder request) {
        return client.ask(OrderContract.PLACE, request.toJson(), Order::fromJson, placeTimeout);
      }

      @Override
      public Future<Order> get(String id) {
        return client.ask(OrderContract.GET, new JsonObject().put("id", id), Order::fromJson);
      }
    };
  }
}
