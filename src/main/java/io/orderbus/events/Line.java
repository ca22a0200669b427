package io.orderbus.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One line of an order: so many units of one SKU. Orders, reservations and emails all speak of lines. */
public record Line(String sku, int quantity) {
  public JsonObject toJson() {
    return new JsonObject().put("sku", sku).put("quantity", quantity);
  }

  /** A missing or non-whole quantity reads as 0, which every reader refuses. */
  public static Line fromJson(JsonObject json) {
    Object quantity = json.getValue("quantity");
    return new Line(json.getString("sku"), quantity instanceof Integer q ? q : 0);
  }

  public static JsonArray toJson(List<Line> lines) {
    return new JsonArray(lines.stream().map(Line::toJson).toList());
  }

  /** Tolerates a malformed list (missing, or with items that are not objects) so that it can be refused cleanly. */
  public static List<Line> fromJson(Object lines) {
    return !(lines instanceof JsonArray array) ? List.of()
        : array.stream().map(o -> o instanceof JsonObject line ? fromJson(line) : new Line(null, 0)).toList();
  }
}
