package io.orderbus.gateway;

import io.orderbus.node.Node;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Eventually;
import io.orderbus.support.HostileRequests;
import io.orderbus.support.HostileRequests.Hostile;
import io.orderbus.support.RawHttp;
import io.orderbus.support.RawHttp.Reply;
import io.orderbus.support.RawHttp.Trickled;
import io.orderbus.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated hostile requests ({@link HostileRequests}, seeded: {@code -Dhostile.seed=...} repeats a
 * run, {@code -Dhostile.requests=...} sizes it) at every route of a running two-node cluster over real sockets,
 * with slow senders among them, while a steady stream of valid orders goes on. What must hold: never a 5xx,
 * never a stack trace or class name in a body, every error in the {@code {"error", "message"}} form, every
 * answer with {@code Cache-Control: no-store} and {@code nosniff}, every slow sender cut off, and every valid
 * order accepted and settled.
 *
 * <p>Service requests get 10 s rather than 2 (the machine these run on is small and shared): a {@code 504}
 * here would be load, not input.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final long SEED = Long.getLong("hostile.seed", 5321L);
  private static final int REQUESTS = Integer.getInteger("hostile.requests", 3000);
  private static final int CLIENTS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final String ADMIN_TOKEN = Api.DEFAULT_ADMIN_TOKEN;
  private static final Pattern ERROR_CODE = Pattern.compile("^[A-Z][A-Z_]*$");
  /** A request line naming an HTTP version other than 1.0 and 1.1 (which Vert.x answers itself). */
  private static final Pattern UNSPOKEN_VERSION = Pattern.compile("^\\S+ \\S+ HTTP/(?!1\\.[01]\\\\x0d)\\d\\.\\d\\\\x0d");

  @AutoClose
  private static TestNodes nodes;
  private static Api api;
  private static int port;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    nodes = new TestNodes(2);
    Node gateway = nodes.start(0, "gateway,order", "requestTimeout", "PT10S", "httpHeaderTimeout", "PT2S",
        "httpBodyTimeout", "PT2S");
    nodes.start(1, "inventory,email", "requestTimeout", "PT10S");
    port = gateway.httpPort();
    api = new Api(vertx, port);
    assertThat(api.put("/inventory/steady", new JsonObject().put("available", 1_000_000)).status()).isEqualTo(200);
  }

  @Test
  void thousandsOfHostileRequestsGetAClearAnswerWhileValidOrdersKeepWorking() throws Exception {
    SteadyOrders steady = new SteadyOrders(api);
    List<String> ids = steady.ids();
    List<Hostile> requests = new HostileRequests(SEED, () -> ids, ADMIN_TOKEN).next(REQUESTS);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 4);
    long start = System.nanoTime();
    try {
      List<Future<Trickled>> slow = slowSenders(clients);
      List<Future<Reply>> replies = new ArrayList<>();
      for (Hostile hostile : requests) {
        replies.add(clients.submit(() -> RawHttp.exchange(port, hostile.bytes(), Duration.ofSeconds(20))));
      }
      List<String> problems = new ArrayList<>();
      Map<String, Integer> outcomes = new TreeMap<>();
      for (int i = 0; i < requests.size(); i++) {
        Hostile hostile = requests.get(i);
        Reply reply;
        try {
          reply = replies.get(i).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          problems.add(describe(hostile, "no answer: " + e.getCause()));
          continue;
        }
        outcomes.merge(hostile.family() + " " + (reply.answered() ? reply.status() : "closed"), 1, Integer::sum);
        problemWith(hostile, reply).ifPresent(problem -> problems.add(describe(hostile, problem)));
        if (problems.size() > 40) {
          break;
        }
      }
      for (Future<Trickled> sender : slow) {
        Trickled trickled = sender.get(60, TimeUnit.SECONDS);
        assertThat(trickled.took()).as("a slow sender cut off at the 2 s deadline")
            .isLessThan(DEADLINE.plusSeconds(5));
        assertThat(trickled.reply().status()).as("a slow sender gets 408 or nothing").isIn(0, 408);
      }
      System.out.printf("hostile input, seed %d: %d requests in %d ms; %s%n", SEED, requests.size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes);
      assertThat(problems).as("seed %d: %d of %d requests answered wrongly", SEED, problems.size(), requests.size())
          .isEmpty();
    } finally {
      steady.stop();
      clients.shutdownNow();
    }
    assertThat(steady.refused()).as("valid orders refused during the barrage").isEmpty();
    assertThat(ids).as("valid orders placed during the barrage").hasSizeGreaterThan(10);
    for (String id : ids) {
      Eventually.until(Duration.ofSeconds(60), "valid order " + id + " settled", () -> {
        JsonObject order = api.get("/orders/" + id).json();
        return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
      });
    }
  }

  @Test
  void metricLabelsStayBoundedWhateverMethodsAndPathsClientsSend() throws Exception {
    for (int i = 0; i < 40; i++) {
      String method = "ZQX" + i;
      Reply reply = RawHttp.exchange(port, RawHttp.request(method, "/orders/zqx" + i, null), Duration.ofSeconds(20));
      assertThat(reply.status()).as("%s: no route takes that method", method).isIn(404, 405, 501);
      RawHttp.exchange(port, RawHttp.request("GET", "/zqx-nowhere-" + i, null), Duration.ofSeconds(20));
    }
    Response metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    Set<String> methods = new TreeSet<>();
    Set<String> routes = new TreeSet<>();
    Matcher series = Pattern.compile("orderbus_http_server_requests_seconds_count\\{([^}]*)}").matcher(metrics.body());
    while (series.find()) {
      methods.add(label(series.group(1), "method"));
      routes.add(label(series.group(1), "route"));
    }
    assertThat(methods).as("method labels").contains("OTHER")
        .isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER");
    assertThat(routes).as("route labels").isNotEmpty().allSatisfy(route -> assertThat(route).doesNotContain("zqx"));
  }

  /** Two clients sending their headers a byte a second, two their body. */
  private static List<Future<Trickled>> slowSenders(ExecutorService clients) {
    byte[] body = Api.order("slow@example.com", "book", 1).encode().getBytes(StandardCharsets.UTF_8);
    byte[] headers = RawHttp.request("POST", "/orders", body, "Content-Type: application/json");
    byte[] head = RawHttp.request("POST", "/orders", null, "Content-Type: application/json", "Content-Length: " + body.length);
    List<Future<Trickled>> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      slow.add(clients.submit(() -> RawHttp.trickle(port, new byte[0], headers, Duration.ofSeconds(30))));
      slow.add(clients.submit(() -> RawHttp.trickle(port, head, body, Duration.ofSeconds(30))));
    }
    return slow;
  }

  /** What is wrong with {@code reply} to {@code hostile}, if anything. */
  private static java.util.Optional<String> problemWith(Hostile hostile, Reply reply) {
    if (!reply.answered()) {
      // Two cases leave nothing to answer: a body whose chunks cannot be read (no telling where it ends), and
      // bytes that are all control characters and blank lines, which HTTP skips as padding before a request
      // (the server waits for one until the header deadline).
      boolean nothingToAnswer = hostile.family().equals("chunks") || onlyPadding(hostile.bytes());
      return nothingToAnswer ? java.util.Optional.empty() : java.util.Optional.of("closed without an answer");
    }
    if (reply.status() == 501 && UNSPOKEN_VERSION.matcher(hostile.printable(200)).find() && reply.body().isEmpty()) {
      // Vert.x's own answer to an HTTP version it does not speak, given before any handler of ours runs.
      return java.util.Optional.empty();
    }
    if (reply.status() >= 500) {
      return java.util.Optional.of("a 5xx: " + reply.status() + " " + reply.body());
    }
    String lower = reply.body().toLowerCase(Locale.ROOT);
    for (String word : HostileRequests.FORBIDDEN) {
      if (lower.contains(word)) {
        return java.util.Optional.of("'" + word.trim() + "' in the body: " + reply.body());
      }
    }
    if (!"no-store".equals(reply.header("Cache-Control")) || !"nosniff".equals(reply.header("X-Content-Type-Options"))) {
      return java.util.Optional.of("headers " + reply.headers());
    }
    if (reply.status() >= 400 && !hostile.method().equals("HEAD")) {
      return errorFormProblem(reply);
    }
    return java.util.Optional.empty();
  }

  private static java.util.Optional<String> errorFormProblem(Reply reply) {
    Object parsed;
    try {
      parsed = Json.decodeValue(reply.body());
    } catch (RuntimeException e) {
      return java.util.Optional.of(reply.status() + " not JSON: " + reply.body());
    }
    if (!(parsed instanceof JsonObject error) || !(error.getValue("error") instanceof String code)
        || !ERROR_CODE.matcher(code).matches() || !(error.getValue("message") instanceof String message)
        || message.isBlank()) {
      return java.util.Optional.of(reply.status() + " not {\"error\", \"message\"}: " + reply.body());
    }
    return java.util.Optional.empty();
  }

  private static boolean onlyPadding(byte[] bytes) {
    for (byte b : bytes) {
      if ((b & 0xFF) > 0x20) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Hostile hostile, String problem) {
    return "#" + hostile.index() + " " + hostile.family() + " " + hostile.printable(300) + " -> " + problem;
  }

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  /** Valid orders, one every 200 ms, async and sync in turn, from a thread of their own; ids of those accepted. */
  private static final class SteadyOrders {
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    SteadyOrders(Api api) {
      thread = new Thread(() -> {
        for (int i = 0; !stopped; i++) {
          boolean sync = i % 2 == 1;
          Response placed = api.post(sync ? "/orders?mode=sync" : "/orders",
              Api.order("steady-" + i + "@example.com", "steady", 1));
          if (placed.status() == (sync ? 201 : 202)) {
            ids.add(placed.json().getString("id"));
          } else {
            refused.add(placed.status() + " " + placed.body());
          }
          sleep();
        }
      }, "steady-orders");
      thread.start();
    }

    private static void sleep() {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    List<String> ids() {
      return ids;
    }

    List<String> refused() {
      return refused;
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join(30_000);
    }
  }
}
