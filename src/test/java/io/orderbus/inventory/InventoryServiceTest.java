package io.orderbus.inventory;

import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.StockEvents;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.messaging.BareDelivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.MessagingContract;
import io.orderbus.support.TestNodes;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inventory service alone on a local Vert.x with a standalone Hazelcast member and bare delivery,
 * spoken to only over the event bus, as the other services do.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InventoryServiceTest {
  private static final String NODE = "inventory-test-node";
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(20_000);

  private static TestNodes nodes;
  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private static BareDelivery delivery;

  @BeforeAll
  static void deploy(Vertx shared) throws Exception {
    vertx = shared;
    nodes = new TestNodes(1);
    hazelcast = nodes.hazelcast(0);
    delivery = new BareDelivery(vertx, NODE);
    vertx.deployVerticle(new InventoryVerticle(hazelcast, delivery, NODE)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  // ---- seeding -------------------------------------------------------------------------------

  @Test
  void demoStockIsSeededOnlyInAClusterThatNeverHadStock() throws Exception {
    InventoryService.DEMO_STOCK.forEach((sku, available) ->
        assertThat(level(vertx, sku)).as("seeded %s", sku).isEqualTo(available));
    JsonObject catalog = call(InventoryContract.CATALOG, new JsonObject());
    assertThat(catalog.getJsonArray("skus").getList()).containsAll(InventoryService.DEMO_STOCK.keySet());

    // One demo SKU changed, one gone (as when both members holding it die at once); a member starts again.
    set("book", 7);
    hazelcast.getMap(InventoryContract.STOCK_MAP).remove("laptop");
    Vertx second = Vertx.vertx();
    try {
      second.deployVerticle(new InventoryVerticle(hazelcast, new BareDelivery(second, "second"), "second"))
          .await(60, TimeUnit.SECONDS);
      assertThat(level(second, "book")).as("an existing level is never overwritten").isEqualTo(7);
      assertThatThrownBy(() -> level(second, "laptop")).as("a lost SKU is not put back at the demo level: it must be counted")
          .hasStackTraceContaining("unknown SKU 'laptop'");
      assertThat(level(vertx, "book")).isEqualTo(7);
    } finally {
      second.close().await(30, TimeUnit.SECONDS);
      set("book", InventoryService.DEMO_STOCK.get("book"));
      set("laptop", InventoryService.DEMO_STOCK.get("laptop"));
    }
  }

  // ---- sync reservations ---------------------------------------------------------------------

  @Test
  void aReservationTakesEveryLineAndRepliesWithTheOutcome() throws Exception {
    String a = sku("a");
    String b = sku("b");
    set(a, 5);
    set(b, 5);
    String orderId = id("order");
    JsonObject reply = call(InventoryContract.RESERVE, reserve(orderId, new Line(a, 2), new Line(b, 5)));
    assertThat(reply.getString("orderId")).isEqualTo(orderId);
    assertThat(reply.getString("state")).isEqualTo("RESERVED");
    assertThat(reply.getString("node")).isEqualTo(NODE);
    assertThat(reply.getJsonArray("lines")).containsExactly(new Line(a, 2).toJson(), new Line(b, 5).toJson());
    assertThat(level(vertx, a)).isEqualTo(3);
    assertThat(level(vertx, b)).isZero();
  }

  @Test
  void oneLineShortFailsTheWholeOrderAndMovesNoStock() throws Exception {
    String a = sku("a");
    String m = sku("m");
    String z = sku("z");
    set(a, 5);
    set(m, 5);
    set(z, 1);
    // The short line sorts last: the lines before it were checked (and locked) first.
    ReplyException lastShort = failure(InventoryContract.RESERVE, reserve(id("o"), new Line(a, 2), new Line(m, 3), new Line(z, 2)));
    assertThat(lastShort.failureCode()).isEqualTo(InventoryContract.OUT_OF_STOCK);
    assertThat(lastShort.getMessage()).contains(z);
    // The short line sorts first.
    set(a, 1);
    ReplyException firstShort = failure(InventoryContract.RESERVE, reserve(id("o"), new Line(m, 1), new Line(z, 1), new Line(a, 2)));
    assertThat(firstShort.failureCode()).isEqualTo(InventoryContract.OUT_OF_STOCK);
    assertThat(firstShort.getMessage()).contains(a);

    assertThat(level(vertx, a)).isEqualTo(1);
    assertThat(level(vertx, m)).isEqualTo(5);
    assertThat(level(vertx, z)).isEqualTo(1);
  }

  @Test
  void linesOfTheSameSkuAreAddedUpBeforeChecking() throws Exception {
    String s = sku("dup");
    set(s, 5);
    ReplyException failure = failure(InventoryContract.RESERVE, reserve(id("o"), new Line(s, 3), new Line(s, 3)));
    assertThat(failure.failureCode()).isEqualTo(InventoryContract.OUT_OF_STOCK);
    assertThat(level(vertx, s)).isEqualTo(5);
    call(InventoryContract.RESERVE, reserve(id("o"), new Line(s, 2), new Line(s, 3)));
    assertThat(level(vertx, s)).isZero();
  }

  @Test
  void exactlyTheAvailableQuantityCanBeReserved() throws Exception {
    String s = sku("exact");
    set(s, 4);
    assertThat(call(InventoryContract.RESERVE, reserve(id("o"), new Line(s, 4))).getString("state")).isEqualTo("RESERVED");
    assertThat(level(vertx, s)).isZero();
    assertThat(failure(InventoryContract.RESERVE, reserve(id("o"), new Line(s, 1))).failureCode())
        .isEqualTo(InventoryContract.OUT_OF_STOCK);
  }

  @Test
  void anUnknownSkuFailsTheOrderAndMovesNoStock() throws Exception {
    String known = sku("known");
    String unknown = sku("unknown");
    set(known, 5);
    ReplyException failure = failure(InventoryContract.RESERVE, reserve(id("o"), new Line(known, 1), new Line(unknown, 1)));
    assertThat(failure.failureCode()).isEqualTo(InventoryContract.UNKNOWN_SKU);
    assertThat(failure.getMessage()).contains(unknown);
    assertThat(level(vertx, known)).isEqualTo(5);
    assertThat(failure(InventoryContract.GET, new JsonObject().put("sku", unknown)).failureCode())
        .as("a failed reservation does not create the SKU").isEqualTo(InventoryContract.UNKNOWN_SKU);
  }

  @Test
  void reservingTheSameOrderTwiceReservesOnce() throws Exception {
    String s = sku("twice");
    set(s, 10);
    String orderId = id("order");
    JsonObject first = call(InventoryContract.RESERVE, reserve(orderId, new Line(s, 3)));
    JsonObject second = call(InventoryContract.RESERVE, reserve(orderId, new Line(s, 3)));
    assertThat(second).isEqualTo(first);
    assertThat(level(vertx, s)).isEqualTo(7);
    // Asked again with other lines, the order gets its first outcome and nothing more is taken.
    JsonObject third = call(InventoryContract.RESERVE, reserve(orderId, new Line(s, 5)));
    assertThat(third).isEqualTo(first);
    assertThat(level(vertx, s)).isEqualTo(7);
  }

  @Test
  void aRejectedOrderKeepsItsFirstOutcome() throws Exception {
    String s = sku("rejected");
    set(s, 1);
    String orderId = id("order");
    assertThat(failure(InventoryContract.RESERVE, reserve(orderId, new Line(s, 2))).failureCode())
        .isEqualTo(InventoryContract.OUT_OF_STOCK);
    set(s, 10);
    // The outcome is recorded per order: asked again, it is the same answer and no stock moves.
    assertThat(failure(InventoryContract.RESERVE, reserve(orderId, new Line(s, 2))).failureCode())
        .isEqualTo(InventoryContract.OUT_OF_STOCK);
    assertThat(level(vertx, s)).isEqualTo(10);
  }

  @Test
  void releaseGivesStockBackOnceAndALateReserveTakesNothing() throws Exception {
    String a = sku("a");
    String b = sku("b");
    set(a, 10);
    set(b, 10);
    String orderId = id("order");
    call(InventoryContract.RESERVE, reserve(orderId, new Line(a, 3), new Line(b, 4), new Line(a, 1)));
    assertThat(level(vertx, a)).isEqualTo(6);
    assertThat(level(vertx, b)).isEqualTo(6);

    JsonObject released = call(InventoryContract.RELEASE, new JsonObject().put("orderId", orderId));
    assertThat(released.getString("state")).isEqualTo("RELEASED");
    assertThat(released.getString("orderId")).isEqualTo(orderId);
    assertThat(level(vertx, a)).isEqualTo(10);
    assertThat(level(vertx, b)).isEqualTo(10);

    JsonObject again = call(InventoryContract.RELEASE, new JsonObject().put("orderId", orderId));
    assertThat(again.getString("state")).isEqualTo("RELEASED");
    assertThat(level(vertx, a)).as("released twice, given back once").isEqualTo(10);
    assertThat(level(vertx, b)).isEqualTo(10);

    ReplyException late = failure(InventoryContract.RESERVE, reserve(orderId, new Line(a, 3)));
    assertThat(late.failureCode()).isEqualTo(InventoryContract.INVALID_REQUEST);
    assertThat(late.getMessage()).contains("released");
    assertThat(level(vertx, a)).as("a reserve after release takes nothing").isEqualTo(10);
  }

  @Test
  void releasingAnOrderNeverReservedMovesNothingAndBlocksALateReserve() throws Exception {
    String s = sku("race");
    set(s, 5);
    String orderId = id("order");
    JsonObject released = call(InventoryContract.RELEASE, new JsonObject().put("orderId", orderId));
    assertThat(released.getString("state")).isEqualTo("RELEASED");
    assertThat(released.getJsonArray("lines")).isEmpty();
    assertThat(level(vertx, s)).isEqualTo(5);
    assertThat(failure(InventoryContract.RESERVE, reserve(orderId, new Line(s, 2))).failureCode())
        .isEqualTo(InventoryContract.INVALID_REQUEST);
    assertThat(level(vertx, s)).isEqualTo(5);
  }

  @Test
  void releasingARejectedOrderGivesNothingBack() throws Exception {
    String s = sku("rej");
    set(s, 1);
    String orderId = id("order");
    failure(InventoryContract.RESERVE, reserve(orderId, new Line(s, 2)));
    JsonObject released = call(InventoryContract.RELEASE, new JsonObject().put("orderId", orderId));
    assertThat(released.getString("state")).isEqualTo("REJECTED");
    assertThat(level(vertx, s)).isEqualTo(1);
  }

  @Test
  void releaseAndReserveWithoutAnOrderIdAreInvalid() throws Exception {
    assertThat(failure(InventoryContract.RELEASE, new JsonObject()).failureCode()).isEqualTo(InventoryContract.INVALID_REQUEST);
    assertThat(failure(InventoryContract.RESERVE, new JsonObject().put("lines", new JsonArray().add(new Line("book", 1).toJson())))
        .failureCode()).isEqualTo(InventoryContract.INVALID_REQUEST);
    assertThat(failure(InventoryContract.RESERVE, new JsonObject().put("orderId", id("o")).put("lines", new JsonArray()))
        .failureCode()).isEqualTo(InventoryContract.INVALID_REQUEST);
  }

  // ---- main-code bugs: these fail until the inventory service validates its own requests -------

  /** Bug: inventory.reserve does not check quantities: -5 is "RESERVED" and adds 5 to the stock; 0 is "RESERVED". */
  @Test
  void reserveRefusesQuantitiesBelowOneAndMovesNoStock() throws Exception {
    String s = sku("negative");
    set(s, 10);
    AsyncResult<JsonObject> negative = outcome(InventoryContract.RESERVE, reserve(id("o"), new Line(s, -5)), TIMEOUT);
    assertThat(level(vertx, s)).as("stock after reserving -5 (reply %s)", negative.succeeded() ? negative.result() : negative.cause())
        .isEqualTo(10);
    assertThat(failure(InventoryContract.RESERVE, reserve(id("o"), new Line(s, -5))).failureCode())
        .isEqualTo(InventoryContract.INVALID_REQUEST);
    assertThat(failure(InventoryContract.RESERVE, reserve(id("o"), new Line(s, 0))).failureCode())
        .isEqualTo(InventoryContract.INVALID_REQUEST);
  }

  /**
   * Bug: a reserve without lines, or with a line without quantity, fails with INTERNAL_ERROR (9999, a
   * NullPointerException in ReserveRequest/Line.fromJson) instead of INVALID_REQUEST; the service's own
   * "lines are required" check is never reached.
   */
  @Test
  void malformedReservationsAreInvalidRequestsNotInternalErrors() throws Exception {
    ReplyException noLines = failure(InventoryContract.RESERVE, new JsonObject().put("orderId", id("o")));
    assertThat(noLines.failureCode()).as("no lines: %s", noLines).isEqualTo(InventoryContract.INVALID_REQUEST);
    ReplyException noQuantity = failure(InventoryContract.RESERVE, new JsonObject().put("orderId", id("o"))
        .put("lines", new JsonArray().add(new JsonObject().put("sku", "book"))));
    assertThat(noQuantity.failureCode()).as("no quantity: %s", noQuantity).isEqualTo(InventoryContract.INVALID_REQUEST);
  }

  /**
   * Bug: inventory.set with a {@code body} that is not an object throws ClassCastException inside the
   * consumer, so the requester gets no answer at all and waits for its timeout.
   */
  @Test
  void aSetWhoseBodyIsNotAnObjectIsAnsweredAtOnce() throws Exception {
    AsyncResult<JsonObject> outcome = outcome(InventoryContract.SET,
        new JsonObject().put("sku", sku("cast")).put("body", "available=3"), new DeliveryOptions().setSendTimeout(3_000));
    assertThat(outcome.failed()).isTrue();
    assertThat(outcome.cause()).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).as("%s", e).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(InventoryContract.INVALID_REQUEST);
    });
  }

  // ---- set, get, catalog ---------------------------------------------------------------------

  @Test
  void setCreatesNewSkusAndReplacesLevels() throws Exception {
    String s = sku("new");
    assertThat(failure(InventoryContract.GET, new JsonObject().put("sku", s)).failureCode()).isEqualTo(InventoryContract.UNKNOWN_SKU);
    JsonObject reply = call(InventoryContract.SET, new JsonObject().put("sku", s).put("body", new JsonObject().put("available", 12)));
    assertThat(reply).isEqualTo(new JsonObject().put("sku", s).put("available", 12));
    assertThat(call(InventoryContract.GET, new JsonObject().put("sku", s))).isEqualTo(reply);
    set(s, 0);
    assertThat(level(vertx, s)).isZero();
    set(s, 1_000_000_000);
    assertThat(level(vertx, s)).isEqualTo(1_000_000_000);
  }

  @Test
  void setValidatesItsInput() throws Exception {
    String s = sku("valid");
    set(s, 3);
    List<JsonObject> bad = List.of(
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", -1)),
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", "ten")),
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", "5")),
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", 2.5)),
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", true)),
        new JsonObject().put("sku", s).put("body", new JsonObject().put("available", 1_000_000_001L)),
        new JsonObject().put("sku", s).put("body", new JsonObject()),
        new JsonObject().put("sku", s).put("body", new JsonObject().putNull("available")),
        new JsonObject().put("sku", s),
        new JsonObject().put("sku", "bad sku").put("body", new JsonObject().put("available", 1)),
        new JsonObject().put("sku", "").put("body", new JsonObject().put("available", 1)),
        new JsonObject().put("body", new JsonObject().put("available", 1)));
    for (JsonObject request : bad) {
      assertThat(failure(InventoryContract.SET, request).failureCode()).as("%s", request).isEqualTo(InventoryContract.INVALID_REQUEST);
    }
    assertThat(level(vertx, s)).as("nothing changed").isEqualTo(3);
    assertThat(failure(InventoryContract.GET, new JsonObject().put("sku", "bad sku")).failureCode())
        .isEqualTo(InventoryContract.UNKNOWN_SKU);
  }

  @Test
  void catalogListsEverySkuWithItsLevel() throws Exception {
    String a = sku("cat-a");
    String b = sku("cat-b");
    set(a, 4);
    set(b, 0);
    JsonObject catalog = call(InventoryContract.CATALOG, new JsonObject());
    List<Object> skus = catalog.getJsonArray("skus").getList();
    JsonObject levels = catalog.getJsonObject("levels");
    assertThat(skus).contains(a, b).containsAll(InventoryService.DEMO_STOCK.keySet()).doesNotHaveDuplicates();
    assertThat(levels.getInteger(a)).isEqualTo(4);
    assertThat(levels.getInteger(b)).isZero();
    assertThat(levels.fieldNames()).containsExactlyInAnyOrderElementsOf(skus.stream().map(String::valueOf).toList());
  }

  // ---- concurrency ---------------------------------------------------------------------------

  @Test
  void aBurstOfConcurrentReservationsNeverOversells() throws Exception {
    String s = sku("burst");
    set(s, 25);
    List<Future<JsonObject>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(ask(InventoryContract.RESERVE, reserve(id("burst" + i), new Line(s, 1))));
    }
    Future.join(all).transform(ar -> Future.succeededFuture()).await(60, TimeUnit.SECONDS);
    long reserved = all.stream().filter(Future::succeeded).count();
    assertThat(reserved).isEqualTo(25);
    for (Future<JsonObject> outcome : all) {
      if (outcome.failed()) {
        assertThat(outcome.cause()).isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(InventoryContract.OUT_OF_STOCK);
        });
      } else {
        assertThat(outcome.result().getString("state")).isEqualTo("RESERVED");
      }
    }
    assertThat(level(vertx, s)).isZero();
  }

  @Test
  void concurrentOrdersNamingTheSameSkusInOppositeOrderAllComplete(VertxTestContext test) {
    // Orders naming the same SKUs in opposite orders must not deadlock: locks are taken in SKU order.
    String a = sku("x");
    String b = sku("y");
    int orders = 40;
    Checkpoint eachReserved = test.checkpoint(orders);
    Checkpoint levelsChecked = test.checkpoint();
    setAsync(a, orders).compose(v -> setAsync(b, orders)).onComplete(test.succeeding(v -> {
      List<Future<JsonObject>> all = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        Line[] lines = i % 2 == 0 ? new Line[] {new Line(a, 1), new Line(b, 1)} : new Line[] {new Line(b, 1), new Line(a, 1)};
        all.add(ask(InventoryContract.RESERVE, reserve(id("cross" + i), lines)).onComplete(test.succeeding(reply -> {
          test.verify(() -> assertThat(reply.getString("state")).isEqualTo("RESERVED"));
          eachReserved.flag();
        })));
      }
      Future.all(all)
          .compose(done -> Future.all(ask(InventoryContract.GET, new JsonObject().put("sku", a)),
              ask(InventoryContract.GET, new JsonObject().put("sku", b))))
          .onComplete(test.succeeding(levels -> test.verify(() -> {
            assertThat(levels.<JsonObject>resultAt(0).getInteger("available")).isZero();
            assertThat(levels.<JsonObject>resultAt(1).getInteger("available")).isZero();
            levelsChecked.flag();
          })));
    }));
  }

  // ---- async path ----------------------------------------------------------------------------

  @Test
  void orderCreatedReservesStockAndPublishesStockReserved() throws Exception {
    String s = sku("async");
    set(s, 5);
    String orderId = id("order");
    Future<Event> reservedEvent = next(StockEvents.STOCK_RESERVED, orderId);
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, orderCreated(orderId, new Line(s, 2)))
        .await(10, TimeUnit.SECONDS);
    Event event = reservedEvent.await(20, TimeUnit.SECONDS);
    assertThat(event.topic()).isEqualTo(StockEvents.STOCK_RESERVED);
    assertThat(event.id()).isEqualTo("stock-" + orderId);
    assertThat(event.publishedBy()).isEqualTo(NODE);
    assertThat(event.payload().getString("orderId")).isEqualTo(orderId);
    assertThat(level(vertx, s)).isEqualTo(3);
    // The sync path sees the same reservation: asking again takes nothing more.
    JsonObject sync = call(InventoryContract.RESERVE, reserve(orderId, new Line(s, 2)));
    assertThat(sync.getString("state")).isEqualTo("RESERVED");
    assertThat(level(vertx, s)).isEqualTo(3);
  }

  @Test
  void theSameOrderCreatedTwiceReservesOnce() throws Exception {
    String s = sku("async-twice");
    set(s, 5);
    String orderId = id("order");
    List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Promise<Void> two = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(MessagingContract.liveAddress(StockEvents.STOCK_RESERVED), m -> {
      Event event = Event.fromJson(m.body());
      if (orderId.equals(event.payload().getString("orderId")) && events.add(event) && events.size() == 2) {
        two.tryComplete();
      }
    });
    try {
      consumer.completion().await(10, TimeUnit.SECONDS);
      JsonObject payload = orderCreated(orderId, new Line(s, 2));
      delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, payload).await(10, TimeUnit.SECONDS);
      delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, payload).await(10, TimeUnit.SECONDS);
      two.future().await(20, TimeUnit.SECONDS);
    } finally {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
    assertThat(events).extracting(Event::id).containsOnly("stock-" + orderId);
    assertThat(level(vertx, s)).as("stock taken once").isEqualTo(3);
  }

  @Test
  void orderCreatedBeyondTheStockPublishesStockRejected() throws Exception {
    String s = sku("async-short");
    String other = sku("async-other");
    set(s, 1);
    set(other, 5);
    String orderId = id("order");
    Future<Event> rejectedEvent = next(StockEvents.STOCK_REJECTED, orderId);
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId,
        orderCreated(orderId, new Line(other, 1), new Line(s, 2))).await(10, TimeUnit.SECONDS);
    Event event = rejectedEvent.await(20, TimeUnit.SECONDS);
    assertThat(event.topic()).isEqualTo(StockEvents.STOCK_REJECTED);
    assertThat(event.payload().getString("reason")).isEqualTo("OUT_OF_STOCK");
    assertThat(event.payload().getString("sku")).isEqualTo(s);
    assertThat(level(vertx, s)).isEqualTo(1);
    assertThat(level(vertx, other)).isEqualTo(5);
  }

  @Test
  void orderCreatedForAnUnknownSkuPublishesStockRejected() throws Exception {
    String unknown = sku("async-unknown");
    String orderId = id("order");
    Future<Event> rejectedEvent = next(StockEvents.STOCK_REJECTED, orderId);
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, orderCreated(orderId, new Line(unknown, 1)))
        .await(10, TimeUnit.SECONDS);
    Event event = rejectedEvent.await(20, TimeUnit.SECONDS);
    assertThat(event.payload().getString("reason")).isEqualTo("UNKNOWN_SKU");
    assertThat(event.payload().getString("sku")).isEqualTo(unknown);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String id(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A SKU no other test uses. */
  private static String sku(String prefix) {
    return id("t-" + prefix);
  }

  private static JsonObject reserve(String orderId, Line... lines) {
    return new ReserveRequest(orderId, List.of(lines)).toJson();
  }

  private static JsonObject orderCreated(String orderId, Line... lines) {
    return new JsonObject().put("orderId", orderId).put("customerEmail", "ada@example.com")
        .put("items", new JsonArray(java.util.Arrays.stream(lines).map(Line::toJson).toList()));
  }

  private static Future<JsonObject> ask(Vertx on, String address, JsonObject body) {
    return on.eventBus().<JsonObject>request(address, body, TIMEOUT).map(Message::body);
  }

  private static Future<JsonObject> ask(String address, JsonObject body) {
    return ask(vertx, address, body);
  }

  private static JsonObject call(String address, JsonObject body) throws Exception {
    return ask(address, body).await(30, TimeUnit.SECONDS);
  }

  private static AsyncResult<JsonObject> outcome(String address, JsonObject body, DeliveryOptions options) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body)
        .transform(Future::succeededFuture).await(30, TimeUnit.SECONDS);
  }

  /** The failure a request gets; fails the test if it succeeds or fails otherwise than by the service's reply. */
  private static ReplyException failure(String address, JsonObject body) throws Exception {
    AsyncResult<JsonObject> outcome = ask(address, body).transform(Future::succeededFuture).await(30, TimeUnit.SECONDS);
    assertThat(outcome.succeeded()).as("%s %s should fail, got %s", address, body, outcome.result()).isFalse();
    assertThat(outcome.cause()).isInstanceOf(ReplyException.class);
    ReplyException failure = (ReplyException) outcome.cause();
    assertThat(failure.failureType()).as("%s", failure).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return failure;
  }

  private static Future<Void> setAsync(String sku, int available) {
    return ask(InventoryContract.SET, new JsonObject().put("sku", sku).put("body", new JsonObject().put("available", available)))
        .mapEmpty();
  }

  private static void set(String sku, int available) throws Exception {
    setAsync(sku, available).await(30, TimeUnit.SECONDS);
  }

  private static int level(Vertx on, String sku) {
    try {
      return ask(on, InventoryContract.GET, new JsonObject().put("sku", sku)).await(30, TimeUnit.SECONDS).getInteger("available");
    } catch (Exception e) {
      throw new AssertionError("level of " + sku, e);
    }
  }

  /** The first live event on {@code topic} about {@code orderId}; the consumer is registered when this returns. */
  private static Future<Event> next(String topic, String orderId) throws Exception {
    Promise<Event> first = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(MessagingContract.liveAddress(topic), m -> {
      Event event = Event.fromJson(m.body());
      if (orderId.equals(event.payload().getString("orderId"))) {
        first.tryComplete(event);
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
    return first.future().andThen(ar -> consumer.unregister());
  }
}
