package io.orderbus.order;

import io.orderbus.events.Line;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation of {@code POST /orders} bodies: each rule fails with its own {@link OrderContract} code. */
class OrderRequestTest {

  /** Parses as the gateway receives it: JSON text, so numbers have the types Jackson gives them. */
  private static OrderRequest parse(String json) {
    return OrderRequest.parse(new JsonObject(json));
  }

  private static String order(String items) {
    return "{\"customerEmail\":\"ada@example.com\",\"items\":" + items + "}";
  }

  private static void assertFails(String json, int code, String messagePart) {
    assertThatThrownBy(() -> parse(json))
        .as(json)
        .isInstanceOfSatisfying(OrderFailure.class, f -> assertThat(f.code()).as("code for %s", json).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aValidOrderParsesWithItsLinesInOrder() {
    OrderRequest request = parse(order(
        "[{\"sku\":\"book\",\"quantity\":2},{\"sku\":\"pen\",\"quantity\":10000},{\"sku\":\"A-b_c.9\",\"quantity\":1},"
            + "{\"sku\":\"book\",\"quantity\":3}]"));
    assertThat(request.customerEmail()).isEqualTo("ada@example.com");
    assertThat(request.items()).containsExactly(
        new Line("book", 2), new Line("pen", 10_000), new Line("A-b_c.9", 1), new Line("book", 3));
  }

  @Test
  void theLinesAreImmutable() {
    OrderRequest request = parse(order("[{\"sku\":\"book\",\"quantity\":1}]"));
    assertThatThrownBy(() -> request.items().add(new Line("pen", 1))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unknownFieldsAreIgnored() {
    OrderRequest request = parse("{\"customerEmail\":\"a@b.co\",\"note\":\"x\",\"items\":[{\"sku\":\"mug\",\"quantity\":1,\"gift\":true}]}");
    assertThat(request.items()).containsExactly(new Line("mug", 1));
  }

  @Test
  void aFractionalQuantityWithNothingAfterThePointIsAcceptedAsAWholeNumber() {
    // The code accepts any number whose value is whole: 2.0 is the quantity 2.
    OrderRequest request = parse(order("[{\"sku\":\"book\",\"quantity\":2.0},{\"sku\":\"pen\",\"quantity\":1e2}]"));
    assertThat(request.items()).containsExactly(new Line("book", 2), new Line("pen", 100));
  }

  @Test
  void aNullBodyIsInvalid() {
    assertThatThrownBy(() -> OrderRequest.parse(null))
        .isInstanceOfSatisfying(OrderFailure.class, f -> assertThat(f.code()).isEqualTo(OrderContract.INVALID_REQUEST));
  }

  @Test
  void tooManyItems() {
    JsonArray items = new JsonArray();
    for (int i = 0; i < OrderRequest.MAX_ITEMS; i++) {
      items.add(new JsonObject().put("sku", "sku" + i).put("quantity", 1));
    }
    assertThat(parse(order(items.encode())).items()).hasSize(OrderRequest.MAX_ITEMS);
    items.add(new JsonObject().put("sku", "one-more").put("quantity", 1));
    assertFails(order(items.encode()), OrderContract.INVALID_REQUEST, "at most " + OrderRequest.MAX_ITEMS);
  }

  @Test
  void aSkuOfSixtyFiveCharactersIsRefusedAndSixtyFourAccepted() {
    String max = "s".repeat(64);
    assertThat(parse(order("[{\"sku\":\"" + max + "\",\"quantity\":1}]")).items()).containsExactly(new Line(max, 1));
    assertFails(order("[{\"sku\":\"" + max + "s\",\"quantity\":1}]"), OrderContract.INVALID_REQUEST, "items[0].sku");
  }

  @Test
  void theFirstBadLineIsNamedByItsIndex() {
    assertFails(order("[{\"sku\":\"book\",\"quantity\":1},{\"sku\":\"pen\",\"quantity\":0},{\"quantity\":1}]"),
        OrderContract.INVALID_QUANTITY, "items[1].quantity");
  }

  /**
   * Bug (minor): a whole quantity of 10^12 or more is refused as "must be a whole number" (INVALID_REQUEST)
   * instead of as out of range (INVALID_QUANTITY), unlike 10^11 or 4294967297.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"1e12", "1000000000000.0", "99999999999999999999"})
  void aHugeWholeQuantityIsOutOfRangeNotFractional(String quantity) {
    assertFails(order("[{\"sku\":\"book\",\"quantity\":" + quantity + "}]"),
        OrderContract.INVALID_QUANTITY, "items[0].quantity must be between 1 and 10000");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // what                  | body                                                                  | OrderContract code | message
      "empty object            | {}                                                                        | MISSING_FIELD | customerEmail",
      "customerEmail null      | {\"customerEmail\":null,\"items\":[{\"sku\":\"book\",\"quantity\":1}]}       | MISSING_FIELD | customerEmail",
      "missing customerEmail   | {\"items\":[{\"sku\":\"book\",\"quantity\":1}]}                              | MISSING_FIELD | customerEmail",
      "email without @         | {\"customerEmail\":\"ada.example.com\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]} | INVALID_REQUEST | customerEmail",
      "email without domain dot| {\"customerEmail\":\"ada@localhost\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}  | INVALID_REQUEST | customerEmail",
      "email with space        | {\"customerEmail\":\"a da@x.io\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}      | INVALID_REQUEST | customerEmail",
      "email with two @        | {\"customerEmail\":\"a@b@x.io\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}       | INVALID_REQUEST | customerEmail",
      "email empty             | {\"customerEmail\":\"\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}               | INVALID_REQUEST | customerEmail",
      "email with comma        | {\"customerEmail\":\"a,b@x.io\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}       | INVALID_REQUEST | customerEmail",
      "email with brackets     | {\"customerEmail\":\"<a@x.io>\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}       | INVALID_REQUEST | customerEmail",
      "email with CRLF         | {\"customerEmail\":\"a@x.io\\r\\nBcc: e@x.io\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]} | INVALID_REQUEST | customerEmail",
      "email empty label       | {\"customerEmail\":\"a@x..io\",\"items\":[{\"sku\":\"book\",\"quantity\":1}]}       | INVALID_REQUEST | customerEmail",
      "email a number          | {\"customerEmail\":42,\"items\":[{\"sku\":\"book\",\"quantity\":1}]}                 | INVALID_REQUEST | customerEmail",
      "email an object         | {\"customerEmail\":{\"a\":1},\"items\":[{\"sku\":\"book\",\"quantity\":1}]}          | INVALID_REQUEST | customerEmail",
      "missing items           | {\"customerEmail\":\"a@b.co\"}                                                      | MISSING_FIELD | items",
      "items null              | {\"customerEmail\":\"a@b.co\",\"items\":null}                                       | MISSING_FIELD | items",
      "items text              | {\"customerEmail\":\"a@b.co\",\"items\":\"book\"}                                   | INVALID_REQUEST | items must be an array",
      "items an object         | {\"customerEmail\":\"a@b.co\",\"items\":{\"sku\":\"book\",\"quantity\":1}}          | INVALID_REQUEST | items must be an array",
      "items empty             | {\"customerEmail\":\"a@b.co\",\"items\":[]}                                         | EMPTY_ITEMS | items must not be empty",
      "item a number           | {\"customerEmail\":\"a@b.co\",\"items\":[1]}                                        | INVALID_REQUEST | items[0] must be an object",
      "item text               | {\"customerEmail\":\"a@b.co\",\"items\":[\"book\"]}                                 | INVALID_REQUEST | items[0] must be an object",
      "item an array           | {\"customerEmail\":\"a@b.co\",\"items\":[[\"book\",1]]}                             | INVALID_REQUEST | items[0] must be an object",
      "item null               | {\"customerEmail\":\"a@b.co\",\"items\":[null]}                                     | INVALID_REQUEST | items[0] must be an object",
      "sku missing             | {\"customerEmail\":\"a@b.co\",\"items\":[{\"quantity\":1}]}                         | MISSING_FIELD | items[0].sku is required",
      "sku null                | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":null,\"quantity\":1}]}            | MISSING_FIELD | items[0].sku is required",
      "sku empty               | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"\",\"quantity\":1}]}            | INVALID_REQUEST | items[0].sku",
      "sku with space          | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"my book\",\"quantity\":1}]}     | INVALID_REQUEST | items[0].sku",
      "sku with slash          | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"a/b\",\"quantity\":1}]}         | INVALID_REQUEST | items[0].sku",
      "sku not ascii           | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"b\u00f6k\",\"quantity\":1}]}    | INVALID_REQUEST | items[0].sku",
      "sku a number            | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":42,\"quantity\":1}]}              | INVALID_REQUEST | items[0].sku",
      "quantity missing        | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\"}]}                       | MISSING_FIELD | items[0].quantity is required",
      "quantity null           | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":null}]}     | MISSING_FIELD | items[0].quantity is required",
      "quantity text           | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":\"2\"}]}    | INVALID_REQUEST | items[0].quantity must be a whole number",
      "quantity boolean        | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":true}]}     | INVALID_REQUEST | items[0].quantity must be a whole number",
      "quantity fractional     | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":1.5}]}      | INVALID_REQUEST | items[0].quantity must be a whole number",
      "quantity tiny fraction  | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":2.000001}]} | INVALID_REQUEST | items[0].quantity must be a whole number",
      "quantity zero           | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":0}]}        | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
      "quantity zero as 0.0    | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":0.0}]}      | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
      "quantity negative       | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":-3}]}       | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
      "quantity one too many   | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":10001}]}    | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
      "quantity past int       | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":4294967297}]} | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
      "quantity big double     | {\"customerEmail\":\"a@b.co\",\"items\":[{\"sku\":\"book\",\"quantity\":1e11}]}     | INVALID_QUANTITY | items[0].quantity must be between 1 and 10000",
  })
  void invalidBodiesFailWithTheirCode(String what, String body, String code, String message) throws Exception {
    assertFails(body, OrderContract.class.getField(code).getInt(null), message);
  }
}
