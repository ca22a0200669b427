package io.orderbus.email;

import io.orderbus.events.EmailEvents;
import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.UserEvents;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.messaging.BareDelivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.MessagingContract;
import io.orderbus.support.Eventually;
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

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email service alone on a local Vert.x with the embedded mailer on a standalone Hazelcast member and
 * bare delivery, spoken to only over the event bus.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmailServiceTest {
  private static final String NODE = "email-test-node";
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(20_000);

  private static TestNodes nodes;
  private static Vertx vertx;
  private static BareDelivery delivery;

  @BeforeAll
  static void deploy(Vertx shared) throws Exception {
    vertx = shared;
    nodes = new TestNodes(1);
    HazelcastInstance hazelcast = nodes.hazelcast(0);
    delivery = new BareDelivery(vertx, NODE);
    vertx.deployVerticle(new EmailVerticle(new EmbeddedMailer(vertx, hazelcast, NODE), delivery)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  // ---- email.send ----------------------------------------------------------------------------

  @Test
  void sendingTheSameKeyTwiceSendsOneEmail() throws Exception {
    String to = address("twice");
    String key = "k-" + token();
    JsonObject first = call(EmailContract.SEND, new SendEmail(key, to, "Hello", "first body", null).toJson());
    JsonObject second = call(EmailContract.SEND, new SendEmail(key, to, "Hello again", "second body", null).toJson());

    assertThat(first.getString("to")).isEqualTo(to);
    assertThat(first.getString("key")).isEqualTo(key);
    assertThat(first.getString("node")).isEqualTo(NODE);
    assertThat(first.getLong("sentAt")).isPositive();
    assertThat(second).as("the email already sent, not a new one").isEqualTo(first);
    assertThat(second.getString("subject")).isEqualTo("Hello");

    List<SentEmail> sent = list(to);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).isEqualTo(SentEmail.fromJson(first));
  }

  @Test
  void concurrentSendsOfTheSameKeySendOneEmail(VertxTestContext test) {
    String to = address("race");
    String key = "k-" + token();
    int senders = 10;
    Checkpoint eachReplied = test.checkpoint(senders);
    Checkpoint listed = test.checkpoint();
    List<Future<JsonObject>> replies = new CopyOnWriteArrayList<>();
    for (int i = 0; i < senders; i++) {
      replies.add(ask(EmailContract.SEND, new SendEmail(key, to, "Race " + i, "body " + i, null).toJson())
          .onComplete(test.succeeding(reply -> eachReplied.flag())));
    }
    Future.all(List.copyOf(replies))
        .compose(all -> ask(EmailContract.LIST, new JsonObject().put("to", to)))
        .onComplete(test.succeeding(list -> test.verify(() -> {
          JsonArray emails = list.getJsonArray("emails");
          assertThat(emails).hasSize(1);
          for (Future<JsonObject> reply : replies) {
            assertThat(reply.result()).isEqualTo(emails.getJsonObject(0));
          }
          listed.flag();
        })));
  }

  @Test
  void anIncompleteRequestIsInvalidAndSendsNothing() throws Exception {
    String to = address("invalid");
    List<JsonObject> bad = List.of(
        new JsonObject().put("to", to).put("subject", "s").put("body", "b"),
        new JsonObject().put("key", "k").put("subject", "s").put("body", "b"),
        new JsonObject().put("key", "k").put("to", to).put("body", "b"),
        new JsonObject().put("key", "k").put("to", to).put("subject", "s"),
        new JsonObject());
    for (JsonObject request : bad) {
      ReplyException failure = failure(EmailContract.SEND, request);
      assertThat(failure.failureCode()).as("%s", request).isEqualTo(EmailContract.INVALID_REQUEST);
      assertThat(failure.getMessage()).contains("required");
    }
    assertThat(list(to)).isEmpty();
  }

  // ---- email.list ----------------------------------------------------------------------------

  @Test
  void listingByRecipientMatchesTheAddressExactlyNotAsAPattern() throws Exception {
    String domain = "@x" + token() + ".io";
    // Each of these would match another if the address were taken as a regular expression (all are addresses
    // by EmailAddress's rules, which keep out parentheses and backslashes).
    List<String> addresses = List.of("a+b" + domain, "aab" + domain, "ab" + domain, "a.b" + domain, "aXb" + domain,
        "a*b" + domain, "b" + domain, "a|b" + domain, "a" + domain, "q{2}" + domain, "qq" + domain, "q" + domain);
    for (String to : addresses) {
      call(EmailContract.SEND, new SendEmail("only", to, "For " + to, "body", null).toJson());
    }
    for (String to : addresses) {
      List<SentEmail> sent = list(to);
      assertThat(sent).as("emails listed for %s", to).extracting(SentEmail::to).containsExactly(to);
      assertThat(sent.get(0).subject()).isEqualTo("For " + to);
    }
    assertThat(list("nobody" + domain)).isEmpty();
    assertThat(failure(EmailContract.LIST, new JsonObject().put("to", ".*")).failureCode())
        .as("a pattern is not an address: refused, not a wildcard").isEqualTo(EmailContract.INVALID_REQUEST);
    assertThat(failure(EmailContract.LIST, new JsonObject().put("to", domain.substring(1))).failureCode())
        .as("a part of an address is not the address").isEqualTo(EmailContract.INVALID_REQUEST);
  }

  @Test
  void listingWithoutRecipientListsEveryEmailOldestFirst() throws Exception {
    String one = address("all-one");
    String two = address("all-two");
    JsonObject first = call(EmailContract.SEND, new SendEmail("k1", one, "s1", "b1", null).toJson());
    JsonObject second = call(EmailContract.SEND, new SendEmail("k2", two, "s2", "b2", null).toJson());
    JsonObject third = call(EmailContract.SEND, new SendEmail("k3", one, "s3", "b3", null).toJson());

    List<SentEmail> all = SentEmailList.of(call(EmailContract.LIST, new JsonObject()));
    assertThat(all).contains(SentEmail.fromJson(first), SentEmail.fromJson(second), SentEmail.fromJson(third));
    assertThat(all).extracting(SentEmail::sentAt).isSorted();
    // Two emails sent within the same millisecond may list in either order: check the order by time only.
    List<SentEmail> toOne = list(one);
    assertThat(toOne).extracting(SentEmail::subject).containsExactlyInAnyOrder("s1", "s3");
    assertThat(toOne).extracting(SentEmail::sentAt).isSorted();
    assertThat(all.size()).isGreaterThan(list(one).size());
  }

  // ---- events --------------------------------------------------------------------------------

  @Test
  void orderCreatedSendsOneConfirmationAndPublishesEmailSent() throws Exception {
    String to = address("order");
    String orderId = "order-" + token();
    Future<Event> emailSent = next(EmailEvents.EMAIL_SENT, orderId, 1).map(events -> events.get(0));
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId,
        orderCreated(orderId, to, new Line("book", 2), new Line("pen", 1))).await(10, TimeUnit.SECONDS);

    Event event = emailSent.await(20, TimeUnit.SECONDS);
    assertThat(event.topic()).isEqualTo(EmailEvents.EMAIL_SENT);
    assertThat(event.id()).isEqualTo("email-" + orderId);
    assertThat(event.publishedBy()).isEqualTo(NODE);
    assertThat(event.payload().getString("to")).isEqualTo(to);

    List<SentEmail> sent = list(to);
    assertThat(sent).hasSize(1);
    SentEmail email = sent.get(0);
    assertThat(email.subject()).contains(orderId);
    assertThat(email.orderId()).isEqualTo(orderId);
    assertThat(email.key()).isEqualTo("order:" + orderId);
    assertThat(email.body()).contains("2 x book").contains("1 x pen");
    assertThat(event.payload().getLong("sentAt")).isEqualTo(email.sentAt());
  }

  @Test
  void theSameOrderCreatedTwiceStillSendsOneEmail() throws Exception {
    String to = address("order-twice");
    String orderId = "order-" + token();
    Future<List<Event>> twoSent = next(EmailEvents.EMAIL_SENT, orderId, 2);
    JsonObject payload = orderCreated(orderId, to, new Line("mug", 1));
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, payload).await(10, TimeUnit.SECONDS);
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, payload).await(10, TimeUnit.SECONDS);

    List<Event> events = twoSent.await(20, TimeUnit.SECONDS);
    List<SentEmail> sent = list(to);
    assertThat(sent).hasSize(1);
    assertThat(events).extracting(e -> e.payload().getLong("sentAt")).containsOnly(sent.get(0).sentAt());
  }

  @Test
  void aConfirmationSentOnTheSyncPathIsNotSentAgainForOrderCreated() throws Exception {
    String to = address("both-paths");
    String orderId = "order-" + token();
    JsonObject sync = call(EmailContract.SEND, EmailContract.orderConfirmation(orderId, to, List.of(new Line("book", 1))).toJson());
    Future<List<Event>> emailSent = next(EmailEvents.EMAIL_SENT, orderId, 1);
    delivery.publish(OrderEvents.ORDER_CREATED, "created-" + orderId, orderCreated(orderId, to, new Line("book", 1)))
        .await(10, TimeUnit.SECONDS);
    emailSent.await(20, TimeUnit.SECONDS);
    assertThat(list(to)).containsExactly(SentEmail.fromJson(sync));
  }

  @Test
  void userSignedUpSendsOneWelcome() throws Exception {
    String to = address("welcome");
    JsonObject payload = new JsonObject().put("email", to).put("name", "Ada");
    delivery.publish(UserEvents.USER_SIGNED_UP, "user-" + to, payload).await(10, TimeUnit.SECONDS);
    delivery.publish(UserEvents.USER_SIGNED_UP, "user-" + to, payload).await(10, TimeUnit.SECONDS);
    List<SentEmail> sent = awaitEmails(to);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).subject()).contains("Ada");
    assertThat(sent.get(0).key()).isEqualTo("welcome:" + to);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String token() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String address(String name) {
    return name + "-" + token() + "@example.com";
  }

  private static JsonObject orderCreated(String orderId, String to, Line... lines) {
    return new JsonObject().put("orderId", orderId).put("customerEmail", to)
        .put("items", new JsonArray(Arrays.stream(lines).map(Line::toJson).toList()));
  }

  private static Future<JsonObject> ask(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, TIMEOUT).map(Message::body);
  }

  private static JsonObject call(String address, JsonObject body) throws Exception {
    return ask(address, body).await(30, TimeUnit.SECONDS);
  }

  private static ReplyException failure(String address, JsonObject body) throws Exception {
    AsyncResult<JsonObject> outcome = ask(address, body).transform(Future::succeededFuture).await(30, TimeUnit.SECONDS);
    assertThat(outcome.succeeded()).as("%s %s should fail, got %s", address, body, outcome.result()).isFalse();
    assertThat(outcome.cause()).isInstanceOf(ReplyException.class);
    ReplyException failure = (ReplyException) outcome.cause();
    assertThat(failure.failureType()).as("%s", failure).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return failure;
  }

  private static List<SentEmail> list(String to) throws Exception {
    return SentEmailList.of(call(EmailContract.LIST, new JsonObject().put("to", to)));
  }

  /** The emails to {@code to}, polled until there is one (the welcome path publishes no event to wait on). */
  private static List<SentEmail> awaitEmails(String to) {
    return Eventually.await(Duration.ofSeconds(20), "an email to " + to, () -> {
      try {
        List<SentEmail> sent = list(to);
        return sent.isEmpty() ? null : sent;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The first {@code count} live events on {@code topic} about {@code orderId}; registered when this returns. */
  private static Future<List<Event>> next(String topic, String orderId, int count) throws Exception {
    Promise<List<Event>> done = Promise.promise();
    List<Event> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(MessagingContract.liveAddress(topic), m -> {
      Event event = Event.fromJson(m.body());
      if (orderId.equals(event.payload().getString("orderId")) && seen.add(event) && seen.size() >= count) {
        done.tryComplete(List.copyOf(seen));
      }
    });
    consumer.completion().await(10, TimeUnit.SECONDS);
    return done.future().andThen(ar -> consumer.unregister());
  }

  private static final class SentEmailList {
    static List<SentEmail> of(JsonObject reply) {
      return reply.getJsonArray("emails").stream().map(o -> SentEmail.fromJson((JsonObject) o)).toList();
    }
  }
}
