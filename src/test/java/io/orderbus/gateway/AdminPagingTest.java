package io.orderbus.gateway;

import io.orderbus.events.UserEvents;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/pending} and {@code /admin/dead-letters} a page at a time. A second Hazelcast member holds
 * part of the entries, so the page's filter and order run on a member other than the asking node (they
 * travel there serialized), as in any real cluster. Welcomes an hour away stay pending; welcomes to an
 * address the email service refuses are dead letters at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminPagingTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final int ENTRIES = 5;
  @AutoClose
  private static TestNodes nodes;
  private static Api api;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(2);
    nodes.hazelcast(1);
    Node node = nodes.start(0, "gateway,order,inventory,email", "welcomeDelay", "PT1H");
    api = new Api(vertx, node.httpPort());
    for (int i = 0; i < ENTRIES; i++) {
      assertThat(api.post("/users", new JsonObject().put("email", "later-" + i + "@example.com").put("name", "L"))
          .status()).isEqualTo(201);
      // Past the gateway's rules, as an event from elsewhere might be: refused by the email service for good.
      node.delivery().publish(UserEvents.USER_SIGNED_UP, "user-bad-" + i,
          new JsonObject().put("email", "bad-" + i + ",x@example.com").put("name", "B")).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pendingEventsComeOldestFirstAPageAtATimeEachOnce() {
    List<JsonObject> all = pages("/admin/pending", "pending", ENTRIES);
    assertThat(all).extracting(e -> e.getLong("publishedAt")).isSorted();
    assertThat(all).extracting(e -> e.getString("id")).doesNotHaveDuplicates();
  }

  @Test
  void deadLettersComeNewestFirstAPageAtATimeEachOnce() {
    List<JsonObject> all = pages("/admin/dead-letters", "deadLetters", ENTRIES);
    assertThat(all).extracting(e -> -e.getLong("deadAt")).isSorted();
    assertThat(all).extracting(e -> e.getString("id")).doesNotHaveDuplicates();
    assertThat(all).allSatisfy(dead -> assertThat(dead.getString("lastError")).contains("to must be"));
  }

  @Test
  void aTokenThePageDidNotWriteIs400() {
    Response made = admin("/admin/pending?after=bm90LWEtY3Vyc29y");
    assertThat(made.status()).isEqualTo(400);
    assertThat(made.json().getString("error")).isEqualTo("INVALID_REQUEST");
  }

  /** Every item of a list, read two at a time once at least {@code atLeast} are there. */
  private static List<JsonObject> pages(String path, String field, int atLeast) {
    Eventually.until(SETTLE, atLeast + " items in " + path,
        () -> admin(path + "?limit=10000").json().getJsonArray(field).size() >= atLeast);
    int total = admin(path + "?limit=10000").json().getJsonArray(field).size();
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Response page = admin(path + "?limit=2" + (after == null ? "" : "&after=" + after));
      assertThat(page.status()).isEqualTo(200);
      JsonArray items = page.json().getJsonArray(field);
      assertThat(items.size()).isLessThanOrEqualTo(2);
      items.forEach(item -> all.add((JsonObject) item));
      after = page.json().getString("next");
      pages++;
    } while (after != null && pages < 20);
    assertThat(all).as("every item once, over %d pages", pages).hasSize(total);
    assertThat(pages).isGreaterThanOrEqualTo(3);
    return all;
  }

  private static Response admin(String path) {
    return api.get(path);
  }
}
