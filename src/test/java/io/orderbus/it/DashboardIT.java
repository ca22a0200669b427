package io.orderbus.it;

import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.Chromium;
import io.orderbus.support.EventStream;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (headless Chromium) against three JVMs of the built jar (gateway+order, inventory,
 * email) whose gateway has its own admin token: the page asks for the token (and again after a wrong one), shows the
 * three nodes, places orders on both paths from its panel and shows an async one turn CONFIRMED as the stream
 * reports it; the email JVM is SIGKILLed and the page marks it down. A screenshot is left in {@code target/dashboard.png}. Before the browser,
 * the stream's guard over plain HTTP: the token, and nothing taken in.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardIT {
  private static final Duration SETTLE = Duration.ofSeconds(40);
  private static final String TOKEN = "it-dashboard-" + UUID.randomUUID();
  private static final String EVENTS = "/dashboard/events";
  private static ProcessNodes cluster;
  private static NodeProcess email;
  private static Api api;
  private static Chromium chromium;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    cluster = new ProcessNodes(3);
    NodeProcess gateway = cluster.launch(0, "gateway,order", "--admin-token", TOKEN);
    NodeProcess inventory = cluster.launch(1, "inventory");
    email = cluster.launch(2, "email");
    int port = gateway.awaitReady(ProcessNodes.READY_TIMEOUT);
    inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
    email.awaitReady(ProcessNodes.READY_TIMEOUT);
    api = new Api(vertx, port, TOKEN);
    chromium = Chromium.start(1400, 1100);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theStreamNeedsTheTokenAndTakesNothingIn(Vertx vertx) throws Exception {
    assertThat(api.anonymous().get(EVENTS).status()).isEqualTo(401);
    assertThat(api.withToken("not-" + TOKEN).get(EVENTS).status()).isEqualTo(403);
    Response inbound = api.raw(HttpMethod.POST, EVENTS, "application/json", new JsonObject().toBuffer());
    assertThat(inbound.status()).as("POST with the token").isEqualTo(405);
    assertThat(api.get("/dashboard/eventbus").status()).as("no other path").isEqualTo(404);

    EventStream stream = EventStream.open(vertx, api.port(), EVENTS, null,
        Map.of("Authorization", "Bearer " + TOKEN));
    try {
      assertThat(stream.status()).isEqualTo(200);
      Eventually.until(SETTLE, "a cluster event with the three nodes", () -> stream.events("cluster").stream()
          .anyMatch(e -> e.data().getJsonArray("nodes").size() == 3));
    } finally {
      stream.close();
    }
  }

  @Test
  @Order(2)
  void anOrderPlacedOnThePageTurnsConfirmedThere() {
    WebDriver page = chromium.driver();
    page.get("http://127.0.0.1:" + api.port() + "/");
    WebDriverWait wait = waiting(page);
    wait.until(d -> d.findElement(By.id("token")).isDisplayed());
    page.findElement(By.id("token")).sendKeys("not-" + TOKEN);
    page.findElement(By.id("connect")).click();
    wait.until(d -> d.findElement(By.id("token")).isDisplayed()
        && "wrong token".equals(d.findElement(By.id("token-msg")).getText()));
    assertThat(page.findElements(By.cssSelector("#nodes li"))).as("nothing shown without the token").isEmpty();
    page.findElement(By.id("token")).sendKeys(TOKEN);
    page.findElement(By.id("connect")).click();
    wait.until(d -> d.findElements(By.cssSelector("#nodes li[data-state='up']")).size() == 3);
    wait.until(d -> d.findElements(By.cssSelector("#groups .group")).size() >= 3);

    setField(page, "place-n", "5");
    page.findElement(By.id("place-sync")).click();
    wait.until(d -> "5".equals(d.findElement(By.id("lat-sync")).getDomAttribute("data-count")));
    page.findElement(By.id("place-async")).click();
    wait.until(d -> "5".equals(d.findElement(By.id("lat-async")).getDomAttribute("data-count")));
    assertThat(page.findElement(By.cssSelector("#lat-async .stats")).getText()).contains("5 × 202");
    assertThat(page.findElement(By.cssSelector("#lat-sync .stats")).getText()).contains("5 × 201");

    // The newest row is an async order the page placed: its 202 said ACCEPTED, the stream brings CONFIRMED.
    WebElement newest = page.findElement(By.cssSelector("#orders tbody tr"));
    String id = newest.getDomAttribute("data-order-id");
    assertThat(newest.getDomAttribute("class")).isEqualTo("path-async");
    By row = By.cssSelector("#orders tbody tr[data-order-id='" + id + "']");
    wait.until(d -> "CONFIRMED".equals(d.findElement(row).getDomAttribute("data-status")));
    assertThat(api.get("/orders/" + id).json().getString("status")).isEqualTo("CONFIRMED");

    page.findElement(row).click();
    wait.until(d -> d.findElement(By.id("timeline")).isDisplayed()
        && d.findElements(By.cssSelector("#timeline tbody tr")).size() >= 3);
    assertThat(page.findElement(By.id("timeline-id")).getText()).isEqualTo(id);
  }

  @Test
  @Order(3)
  void aKilledNodeIsMarkedDown() throws Exception {
    WebDriver page = chromium.driver();
    By emailNode = By.cssSelector("#nodes li[data-node='s2-email']");
    assertThat(page.findElement(emailNode).getDomAttribute("data-state")).isEqualTo("up");
    email.kill();
    long killed = System.nanoTime();
    waiting(page).until(d -> "down".equals(d.findElement(emailNode).getDomAttribute("data-state")));
    System.out.printf("email node marked down %d ms after SIGKILL%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    assertThat(page.findElements(By.cssSelector("#nodes li[data-state='up']"))).hasSize(2);
    assertThat(page.findElement(emailNode).getText()).contains("DOWN");
    Path shot = Path.of("target", "dashboard.png");
    Files.write(shot, chromium.driver().getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isPositive();
  }

  /** A wait that also tries again when the page redrew what it looked at between finding and reading it. */
  private static WebDriverWait waiting(WebDriver page) {
    WebDriverWait wait = new WebDriverWait(page, SETTLE);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static void setField(WebDriver page, String id, String value) {
    WebElement field = page.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }
}
