package io.orderbus.gateway;

import io.orderbus.email.EmailContract;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.messaging.DomainFailure;
import io.orderbus.messaging.MessagingContract;
import io.orderbus.messaging.Replies;
import io.orderbus.messaging.ServiceClient;
import io.orderbus.messaging.ServiceUnreachable;
import io.orderbus.order.OrderContract;
import io.orderbus.user.UserContract;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place where a failed event-bus request becomes an HTTP status and error code. */
final class ErrorMapping {
  private static final Logger LOG = Logger.getLogger(ErrorMapping.class.getName());

  private record Mapped(int status, String code) {
  }

  private static final Map<Integer, Mapped> BY_CODE = Map.ofEntries(
      Map.entry(OrderContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST")),
      Map.entry(OrderContract.MISSING_FIELD, new Mapped(400, "MISSING_FIELD")),
      Map.entry(OrderContract.EMPTY_ITEMS, new Mapped(400, "EMPTY_ITEMS")),
      Map.entry(OrderContract.INVALID_QUANTITY, new Mapped(400, "INVALID_QUANTITY")),
      Map.entry(OrderContract.UNKNOWN_MODE, new Mapped(400, "UNKNOWN_MODE")),
      Map.entry(OrderContract.UNKNOWN_SKU, new Mapped(422, "UNKNOWN_SKU")),
      Map.entry(OrderContract.ORDER_NOT_FOUND, new Mapped(404, "ORDER_NOT_FOUND")),
      Map.entry(OrderContract.OUT_OF_STOCK, new Mapped(409, "OUT_OF_STOCK")),
      Map.entry(OrderContract.INVENTORY_UNAVAILABLE, new Mapped(503, "SERVICE_UNAVAILABLE")),
      Map.entry(OrderContract.INVENTORY_TIMEOUT, new Mapped(504, "SERVICE_TIMEOUT")),
      Map.entry(OrderContract.EMAIL_UNAVAILABLE, new Mapped(503, "SERVICE_UNAVAILABLE")),
      Map.entry(OrderContract.EMAIL_TIMEOUT, new Mapped(504, "SERVICE_TIMEOUT")),
      Map.entry(OrderContract.BACKLOG_FULL, new Mapped(503, "BACKLOG_FULL")),
      Map.entry(OrderContract.INVENTORY_CIRCUIT_OPEN, new Mapped(503, "CIRCUIT_OPEN")),
      Map.entry(OrderContract.EMAIL_CIRCUIT_OPEN, new Mapped(503, "CIRCUIT_OPEN")),
      Map.entry(OrderContract.REQUEST_IN_PROGRESS, new Mapped(409, "REQUEST_IN_PROGRESS")),
      Map.entry(OrderContract.IDEMPOTENCY_KEY_REUSED, new Mapped(422, "IDEMPOTENCY_KEY_REUSED")),
      Map.entry(OrderContract.ORDER_FAILED, new Mapped(503, "ORDER_FAILED")),
      Map.entry(OrderContract.PUBLISH_INCOMPLETE, new Mapped(503, "PUBLISH_INCOMPLETE")),
      Map.entry(OrderContract.INVALID_IDEMPOTENCY_KEY, new Mapped(400, "INVALID_IDEMPOTENCY_KEY")),
      Map.entry(OrderContract.REQUEST_EXPIRED, new Mapped(504, "REQUEST_EXPIRED")),
      Map.entry(InventoryContract.OUT_OF_STOCK, new Mapped(409, "OUT_OF_STOCK")),
      Map.entry(InventoryContract.UNKNOWN_SKU, new Mapped(404, "UNKNOWN_SKU")),
      Map.entry(InventoryContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST")),
      Map.entry(EmailContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST")),
      Map.entry(UserContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST")),
      Map.entry(UserContract.MISSING_FIELD, new Mapped(400, "MISSING_FIELD")),
      Map.entry(UserContract.BACKLOG_FULL, new Mapped(503, "BACKLOG_FULL")),
      Map.entry(UserContract.PUBLISH_INCOMPLETE, new Mapped(503, "PUBLISH_INCOMPLETE")),
      Map.entry(MessagingContract.DEAD_LETTER_NOT_FOUND, new Mapped(404, "DEAD_LETTER_NOT_FOUND")),
      Map.entry(MessagingContract.CLUSTER_MINORITY, new Mapped(503, "CLUSTER_MINORITY")));

  private ErrorMapping() {
  }

  /**
   * @param asked the service the gateway asked, named when it is down, slow or failed unexpectedly; a refusal
   *              names the service at fault itself (its details)
   */
  static HttpError of(Throwable failure, String asked) {
    // The operator API's messaging calls ask without a typed client: read their failures as a client would.
    failure = ServiceClient.typed(failure, asked, Duration.ZERO);
    if (failure instanceof ServiceUnreachable unreachable) {
      return unreachable.timedOut()
          ? new HttpError(504, "SERVICE_TIMEOUT", asked + " service did not answer in time", asked, null)
          : new HttpError(503, "SERVICE_UNAVAILABLE", asked + " service is not running", asked, 1);
    }
    if (failure instanceof DomainFailure refused) {
      Mapped mapped = BY_CODE.get(refused.code());
      if (mapped != null) {
        Integer retryAfter = refused.retryAfterSeconds() != null ? refused.retryAfterSeconds()
            : mapped.status() == 503 ? Integer.valueOf(1) : null;
        return new HttpError(mapped.status(), mapped.code(), refused.getMessage(), refused.service(), retryAfter);
      }
      if (refused.code() == Replies.INTERNAL_ERROR) {
        return new HttpError(500, "INTERNAL_ERROR", asked + " service failed unexpectedly", asked, null);
      }
    }
    LOG.log(Level.WARNING, "unexpected failure from " + asked, failure);
    return new HttpError(500, "INTERNAL_ERROR", "unexpected failure", null, null);
  }
}
