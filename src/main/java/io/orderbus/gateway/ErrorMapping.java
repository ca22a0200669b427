package io.orderbus.gateway;

import io.orderbus.email.EmailContract;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.messaging.MessagingContract;
import io.orderbus.messaging.Replies;
import io.orderbus.order.OrderContract;
import io.orderbus.user.UserContract;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place where a failed event-bus request becomes an HTTP status and error code. */
final class ErrorMapping {
  private static final Logger LOG = Logger.getLogger(ErrorMapping.class.getName());
  private static final Pattern RETRY_AFTER = Pattern.compile("retryAfter=(\\d+)");

  private record Mapped(int status, String code, String service) {
  }

  private static final Map<Integer, Mapped> BY_CODE = Map.ofEntries(
      Map.entry(OrderContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST", null)),
      Map.entry(OrderContract.MISSING_FIELD, new Mapped(400, "MISSING_FIELD", null)),
      Map.entry(OrderContract.EMPTY_ITEMS, new Mapped(400, "EMPTY_ITEMS", null)),
      Map.entry(OrderContract.INVALID_QUANTITY, new Mapped(400, "INVALID_QUANTITY", null)),
      Map.entry(OrderContract.UNKNOWN_MODE, new Mapped(400, "UNKNOWN_MODE", null)),
      Map.entry(OrderContract.UNKNOWN_SKU, new Mapped(422, "UNKNOWN_SKU", null)),
      Map.entry(OrderContract.ORDER_NOT_FOUND, new Mapped(404, "ORDER_NOT_FOUND", null)),
      Map.entry(OrderContract.OUT_OF_STOCK, new Mapped(409, "OUT_OF_STOCK", "inventory")),
      Map.entry(OrderContract.INVENTORY_UNAVAILABLE, new Mapped(503, "SERVICE_UNAVAILABLE", "inventory")),
      Map.entry(OrderContract.INVENTORY_TIMEOUT, new Mapped(504, "SERVICE_TIMEOUT", "inventory")),
      Map.entry(OrderContract.EMAIL_UNAVAILABLE, new Mapped(503, "SERVICE_UNAVAILABLE", "email")),
      Map.entry(OrderContract.EMAIL_TIMEOUT, new Mapped(504, "SERVICE_TIMEOUT", "email")),
      Map.entry(OrderContract.BACKLOG_FULL, new Mapped(503, "BACKLOG_FULL", null)),
      Map.entry(OrderContract.INVENTORY_CIRCUIT_OPEN, new Mapped(503, "CIRCUIT_OPEN", "inventory")),
      Map.entry(OrderContract.EMAIL_CIRCUIT_OPEN, new Mapped(503, "CIRCUIT_OPEN", "email")),
      Map.entry(OrderContract.REQUEST_IN_PROGRESS, new Mapped(409, "REQUEST_IN_PROGRESS", null)),
      Map.entry(OrderContract.IDEMPOTENCY_KEY_REUSED, new Mapped(422, "IDEMPOTENCY_KEY_REUSED", null)),
      Map.entry(OrderContract.ORDER_FAILED, new Mapped(503, "ORDER_FAILED", null)),
      Map.entry(OrderContract.PUBLISH_INCOMPLETE, new Mapped(503, "PUBLISH_INCOMPLETE", null)),
      Map.entry(OrderContract.INVALID_IDEMPOTENCY_KEY, new Mapped(400, "INVALID_IDEMPOTENCY_KEY", null)),
      Map.entry(OrderContract.REQUEST_EXPIRED, new Mapped(504, "REQUEST_EXPIRED", null)),
      Map.entry(InventoryContract.OUT_OF_STOCK, new Mapped(409, "OUT_OF_STOCK", "inventory")),
      Map.entry(InventoryContract.UNKNOWN_SKU, new Mapped(404, "UNKNOWN_SKU", null)),
      Map.entry(InventoryContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST", null)),
      Map.entry(EmailContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST", null)),
      Map.entry(UserContract.INVALID_REQUEST, new Mapped(400, "INVALID_REQUEST", null)),
      Map.entry(UserContract.MISSING_FIELD, new Mapped(400, "MISSING_FIELD", null)),
      Map.entry(UserContract.BACKLOG_FULL, new Mapped(503, "BACKLOG_FULL", null)),
      Map.entry(UserContract.PUBLISH_INCOMPLETE, new Mapped(503, "PUBLISH_INCOMPLETE", null)),
      Map.entry(MessagingContract.DEAD_LETTER_NOT_FOUND, new Mapped(404, "DEAD_LETTER_NOT_FOUND", null)),
      Map.entry(MessagingContract.CLUSTER_MINORITY, new Mapped(503, "CLUSTER_MINORITY", null)));

  private ErrorMapping() {
  }

  /** @param service the service the gateway asked, named when it is down or slow */
  static HttpError of(Throwable failure, String service) {
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new HttpError(503, "SERVICE_UNAVAILABLE", service + " service is not running", service, 1);
      }
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return new HttpError(504, "SERVICE_TIMEOUT", service + " service did not answer in time", service, null);
      }
      Mapped mapped = BY_CODE.get(re.failureCode());
      if (mapped != null) {
        Integer retryAfter = null;
        Matcher m = RETRY_AFTER.matcher(String.valueOf(re.getMessage()));
        if (m.find()) {
          retryAfter = Integer.valueOf(m.group(1));
        } else if (mapped.status() == 503) {
          retryAfter = 1;
        }
        return new HttpError(mapped.status(), mapped.code(), re.getMessage(), mapped.service(), retryAfter);
      }
      if (re.failureCode() == Replies.INTERNAL_ERROR) {
        return new HttpError(500, "INTERNAL_ERROR", service + " service failed unexpectedly", service, null);
      }
    }
    LOG.log(Level.WARNING, "unexpected failure from " + service, failure);
    return new HttpError(500, "INTERNAL_ERROR", "unexpected failure", null, null);
  }
}
