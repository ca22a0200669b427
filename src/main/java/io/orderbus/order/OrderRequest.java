package io.orderbus.order;

import io.orderbus.events.Line;

import io.orderbus.email.EmailAddress;
import io.orderbus.inventory.InventoryContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's order once validated: every rule a 4xx can name is checked here, in one place.
 *
 * <ul>
 *   <li>{@code customerEmail}: an address by {@link EmailAddress}'s rules (at most 254 characters).</li>
 *   <li>{@code items}: 1 to {@value #MAX_ITEMS} objects, each a {@code sku} by {@link InventoryContract#SKU}
 *       (1–64 characters) and a whole {@code quantity} from 1 to {@value #MAX_QUANTITY}.</li>
 *   <li>Other fields are ignored; the whole body is bounded by the gateway's body limit.</li>
 * </ul>
 */
public record OrderRequest(String customerEmail, List<Line> items) {

  public static final int MAX_ITEMS = 100;
  public static final int MAX_QUANTITY = 10_000;

  /** Validates the body of {@code POST /orders}; throws {@link OrderFailure} naming the first field at fault. */
  public static OrderRequest parse(JsonObject body) {
    if (body == null) {
      throw invalid(OrderContract.INVALID_REQUEST, "the body must be a JSON object");
    }
    Object email = body.getValue("customerEmail");
    if (email == null) {
      throw invalid(OrderContract.MISSING_FIELD, "customerEmail is required");
    }
    if (!EmailAddress.isValid(email)) {
      throw invalid(OrderContract.INVALID_REQUEST, "customerEmail must be " + EmailAddress.RULE);
    }
    Object rawItems = body.getValue("items");
    if (rawItems == null) {
      throw invalid(OrderContract.MISSING_FIELD, "items is required");
    }
    if (!(rawItems instanceof JsonArray array)) {
      throw invalid(OrderContract.INVALID_REQUEST, "items must be an array of {\"sku\", \"quantity\"}");
    }
    if (array.isEmpty()) {
      throw invalid(OrderContract.EMPTY_ITEMS, "items must not be empty");
    }
    if (array.size() > MAX_ITEMS) {
      throw invalid(OrderContract.INVALID_REQUEST, "at most " + MAX_ITEMS + " items per order");
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "items[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw invalid(OrderContract.INVALID_REQUEST, at + " must be an object {\"sku\", \"quantity\"}");
      }
      Object sku = item.getValue("sku");
      if (sku == null) {
        throw invalid(OrderContract.MISSING_FIELD, at + ".sku is required");
      }
      if (!(sku instanceof String skuText) || !InventoryContract.SKU.matcher(skuText).matches()) {
        throw invalid(OrderContract.INVALID_REQUEST, at + ".sku must be 1-64 letters, digits, '.', '_' or '-'");
      }
      Object quantity = item.getValue("quantity");
      if (quantity == null) {
        throw invalid(OrderContract.MISSING_FIELD, at + ".quantity is required");
      }
      if (!isWholeNumber(quantity)) {
        throw invalid(OrderContract.INVALID_REQUEST, at + ".quantity must be a whole number");
      }
      double q = ((Number) quantity).doubleValue();
      if (q < 1 || q > MAX_QUANTITY) {
        throw invalid(OrderContract.INVALID_QUANTITY, at + ".quantity must be between 1 and " + MAX_QUANTITY);
      }
      lines.add(new Line(skuText, (int) q));
    }
    return new OrderRequest((String) email, List.copyOf(lines));
  }

  private static boolean isWholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof java.math.BigInteger) {
      return true;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d);
    }
    return false;
  }

  private static OrderFailure invalid(int code, String message) {
    return new OrderFailure(code, message);
  }
}
