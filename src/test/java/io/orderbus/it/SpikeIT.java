package io.orderbus.it;

import com.icegreen.greenmail.util.GreenMail;
import io.orderbus.bench.OpenLoad;
import io.orderbus.bench.OrderWatch;
import io.orderbus.bench.SettledCapacity;
import io.orderbus.gateway.OperatorClient;
import io.orderbus.support.SmtpServers;
import io.orderbus.support.Api;
import io.orderbus.support.Api.Response;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.ProcessNodes;
import io.orderbus.support.Scrape;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.internet.MimeMessage;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A spike of twice the cluster's capacity, offered open loop to a 3-JVM cluster shaped as the launcher's
 * default, must be absorbed the way a broker absorbs it: accepted (or refused with {@code 503 BACKLOG_FULL}),
 * worked off at the consumers' pace, every event handled once, none dead-lettered, every order settled and
 * emailed once (counted at a real SMTP server, not in the de-duplicating sent-mail map), no stock lost.
 *
 * <p>Load is not failure: a delivery that times out while the event waits in a busy member's queue, and is
 * redelivered although it was handled, turns the spike into a retry storm; this test measures exactly that
 * (handled / published per group) and the dead letters it leaves.
 *
 * <p>All assertions are checked (soft) after the figures are printed, so a failing run says everything
 * that went wrong at once, with the numbers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SpikeIT {
  private static final List<String> GROUPS = List.of("inventory", "email", "order");
  /**
   * Distinct events each group gets per order: OrderCreated goes to inventory and to email, and each answers
   * the order group with one event (the stock outcome, EmailSent). Published counts every publish, and a
   * handler that runs again publishes its follow-up again (same id): a storm inflates published as well, so
   * handled is also held against the orders placed.
   */
  private static final Map<String, Integer> EVENTS_PER_ORDER = Map.of("inventory", 1, "email", 1, "order", 2);
  private static final int SKUS = 8;
  private static final double FACTOR = 2.0;
  private static final Duration SPIKE = Duration.ofSeconds(15);
  private static final Duration WARMUP = Duration.ofSeconds(15);
  private static final Duration CALIBRATE = Duration.ofSeconds(5);
  private static final Duration DRAIN = Duration.ofMinutes(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /**
   * While measuring the capacity: requests in flight (enough that the accept path, slow on a busy machine, is
   * not what limits the count), and the backlog (events) up to which orders are placed.
   */
  private static final int CLIENTS = 64;
  private static final int MAX_BACKLOG = 256;
  /** Handled over published: a redelivery now and then (a member that really died) is fine, a retry storm is not. */
  private static final double MAX_REDELIVERY = 1.02;
  private static final Pattern SUBJECT_ORDER = Pattern.compile("We received your order (\\S+)");
  private static final Pattern SUBJECT_REJECTED = Pattern.compile("Your order (\\S+) could not be fulfilled");

  @Test
  void aSpikeOfTwiceTheCapacityIsWorkedOffOnceWithoutDeadLetters(Vertx vertx) throws Exception {
    GreenMail smtp = new GreenMail(SmtpServers.onFreePort());
    smtp.start();
    String adminToken = UUID.randomUUID().toString();
    String run = UUID.randomUUID().toString().substring(0, 6);
    try (ProcessNodes cluster = new ProcessNodes(3)) {
      NodeProcess gateway = cluster.launch(0, "gateway,order", "--admin-token", adminToken);
      NodeProcess inventory = cluster.launch(1, "inventory");
      NodeProcess email = cluster.launch(2, "email", "--mailer", "smtp",
          "--smtp-port", String.valueOf(smtp.getSmtp().getPort()), "--smtp-from", "shop@example.com");
      int port = gateway.awaitReady(ProcessNodes.READY_TIMEOUT);
      inventory.awaitReady(ProcessNodes.READY_TIMEOUT);
      email.awaitReady(ProcessNodes.READY_TIMEOUT);
      Api api = new Api(vertx, port, adminToken);
      // The load's own client: enough connections that requests do not queue here rather than at the gateway.
      WebClient load = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
          new PoolOptions().setHttp1MaxSize(256));
      WebClient operator = OperatorClient.of(load, adminToken);
      Context context = vertx.getOrCreateContext();
      List<String> skus = new ArrayList<>();
      for (int i = 0; i < SKUS; i++) {
        skus.add("spike-" + run + "-" + i);
      }
      Orders orders = new Orders("spike-" + run + "@example.com", skus);

      // 1. Capacity, with stock to spare so that every order takes the whole path.
      for (String sku : skus) {
        assertOk(api.put("/inventory/" + sku, new JsonObject().put("available", 1_000_000_000)));
      }
      SettledCapacity.Result capacity = SettledCapacity.measure(context, load, operator, WARMUP, CALIBRATE, CLIENTS, MAX_BACKLOG,
          orders::next).await(5, TimeUnit.MINUTES);
      System.out.printf(Locale.ROOT, "SPIKE capacity: %.1f settled orders/s (%d settled in %d s after a %d s warm-up,"
              + " %d clients, backlog under %d; %d placed, %d unsettled right after; answers %s)%n", capacity.perSecond(),
          capacity.settled(), CALIBRATE.toSeconds(), WARMUP.toSeconds(), CLIENTS, MAX_BACKLOG, capacity.placed().size(),
          capacity.unsettled(), capacity.outcomes());
      if (capacity.settled() == 0) {
        throw new AssertionError("no order settled while measuring the capacity: " + capacity);
      }
      // The spike starts from an empty backlog, so that it measures the spike and not the calibration's tail.
      OrderWatch.Result calibrated = OrderWatch.await(context, operator, List.of(), Duration.ofMinutes(3))
          .await(4, TimeUnit.MINUTES);
      if (!calibrated.drained()) {
        throw new AssertionError("the calibration's backlog did not drain within 3 minutes");
      }

      // 2. Stock sized on the expected demand: most SKUs with plenty, a quarter short, so both outcomes occur. The
      // short ones run out late in the spike: an order the order service already knows to be out of stock gets a
      // cheap 409 instead of becoming work, and too many of those would take the spike out of the spike.
      double rate = FACTOR * capacity.perSecond();
      double unitsPerSku = rate * SPIKE.toSeconds() / SKUS * orders.meanQuantity();
      Map<String, Integer> initial = new LinkedHashMap<>();
      for (int i = 0; i < SKUS; i++) {
        double share = i < 3 * SKUS / 4 ? 2.0 : 0.75;
        int level = (int) Math.max(1, Math.round(unitsPerSku * share));
        initial.put(skus.get(i), level);
        assertOk(api.put("/inventory/" + skus.get(i), new JsonObject().put("available", level)));
      }

      Scrape beforeSpike = new Scrape(api.get("/metrics").body());

      // 3. The spike, open loop.
      OpenLoad.Result spike = OpenLoad.run(context, load, "/orders", rate, SPIKE, REQUEST_TIMEOUT, orders::next)
          .await(SPIKE.plus(REQUEST_TIMEOUT).plusMinutes(1).toSeconds(), TimeUnit.SECONDS);
      System.out.printf(Locale.ROOT, "SPIKE offered: %.1f orders/s open loop for %d s = %d requests (%.1f x capacity);"
              + " answers %s; accept p50 %.1f ms, p99 %.1f ms (from intended send time); generator lag max %.1f ms%n",
          rate, SPIKE.toSeconds(), spike.sent(), FACTOR, spike.outcomes(), spike.acceptedMs(50), spike.acceptedMs(99),
          spike.maxLagMicros() / 1000.0);

      // 4. The drain: backlog empty (all handled or dead-lettered), then every order read back.
      List<String> placed = new ArrayList<>(capacity.placed());
      placed.addAll(spike.accepted());
      OrderWatch.Result watch = OrderWatch.await(context, operator, placed, DRAIN).await(DRAIN.plusMinutes(3).toSeconds(),
          TimeUnit.SECONDS);
      double drainSeconds = watch.drained() ? Math.max(0, watch.emptyAt() - spike.scheduleEnd()) / 1e9 : Double.NaN;

      // 5. What the cluster and the SMTP server say.
      Scrape metrics = new Scrape(api.get("/metrics").body());
      Response dead = api.get("/admin/dead-letters?limit=10000");
      JsonArray deadLetters = dead.status() == 200 ? dead.json().getJsonArray("deadLetters") : null;
      double deadLettered = metrics.sum("orderbus_delivery_dead_lettered_total");
      Map<String, Integer> mailsPerOrder = mailsPerOrder(smtp.getReceivedMessages(), SUBJECT_ORDER);
      Map<String, Integer> rejectionsPerOrder = mailsPerOrder(smtp.getReceivedMessages(), SUBJECT_REJECTED);
      rejectionsPerOrder.keySet().removeIf(key -> key.startsWith("(other"));
      int rejectionMails = rejectionsPerOrder.values().stream().mapToInt(Integer::intValue).sum();
      Outcome outcome = Outcome.of(spike.accepted(), watch, initial);
      Map<String, Integer> available = new TreeMap<>();
      for (String sku : skus) {
        available.put(sku, api.get("/inventory/" + sku).json().getInteger("available"));
      }

      System.out.printf(Locale.ROOT, "SPIKE accepted %d, 503 BACKLOG_FULL %d, other %d of %d; backlog %d events when the"
              + " offering ended; %s%n", spike.status(202), spike.outcomes().getOrDefault("503 BACKLOG_FULL", 0),
          spike.sent() - spike.status(202) - spike.outcomes().getOrDefault("503 BACKLOG_FULL", 0), spike.sent(),
          watch.backlogAtStart(), watch.drained() ? String.format(Locale.ROOT, "backlog empty %.1f s after it ended",
              drainSeconds) : "backlog NOT empty within " + DRAIN);
      System.out.printf(Locale.ROOT, "SPIKE orders: %d placed in all, %d unsettled; spike orders %d CONFIRMED, %d REJECTED%n",
          placed.size(), watch.unsettled().size(), outcome.confirmed(), outcome.rejected());
      System.out.printf(Locale.ROOT, "SPIKE dead letters: %s listed, %.0f dead-lettered (metric)%n",
          deadLetters == null ? "(list refused: " + dead.status() + ")" : deadLetters.size(), deadLettered);
      for (String group : GROUPS) {
        double handled = metrics.sum("orderbus_delivery_handled_total", "group", group, "outcome", "ok");
        double published = metrics.sum("orderbus_delivery_published_total", "group", group);
        double spikeHandled = handled - beforeSpike.sum("orderbus_delivery_handled_total", "group", group, "outcome", "ok");
        double spikePublished = published - beforeSpike.sum("orderbus_delivery_published_total", "group", group);
        System.out.printf(Locale.ROOT, "SPIKE group %-9s handled %.0f / published %.0f = %.3f (during the spike and its"
                + " drain: %.0f / %.0f = %.3f); %.2f handlings per order placed; handler failures %.0f, failed"
                + " attempts %.0f, redelivered %.0f%n", group,
            handled, published, handled / published, spikeHandled, spikePublished, spikeHandled / spikePublished,
            handled / placed.size(),
            metrics.sum("orderbus_delivery_handled_total", "group", group, "outcome", "failed"),
            metrics.sum("orderbus_delivery_failed_attempts_total", "group", group),
            metrics.sum("orderbus_delivery_redelivered_total", "group", group));
      }
      System.out.printf(Locale.ROOT, "SPIKE emails at the SMTP server: %d for %d orders placed%n",
          mailsPerOrder.values().stream().mapToInt(Integer::intValue).sum(), placed.size());
      System.out.println("SPIKE stock per SKU (initial - confirmed = available): " + outcome.stockLine(available));

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(spike.outcomes().keySet()).as("answers to the spike (only 202, 409 out of stock, 503 backlog full)")
          .isSubsetOf(Set.of("202", "409 OUT_OF_STOCK", "503 BACKLOG_FULL"));
      soft.assertThat(spike.status(202)).as("orders accepted during the spike").isPositive();
      soft.assertThat(watch.drained()).as("backlog drained within " + DRAIN).isTrue();
      soft.assertThat(deadLetters == null ? -1 : deadLetters.size())
          .as("entries in GET /admin/dead-letters; e.g. %s", describe(deadLetters)).isZero();
      soft.assertThat(deadLettered).as("orderbus_delivery_dead_lettered_total").isZero();
      soft.assertThat(metrics.sum("orderbus_node_up")).as("nodes that answered the metrics scrape").isEqualTo(3);
      for (String group : GROUPS) {
        double handled = metrics.sum("orderbus_delivery_handled_total", "group", group, "outcome", "ok");
        double published = metrics.sum("orderbus_delivery_published_total", "group", group);
        int perOrder = EVENTS_PER_ORDER.get(group);
        // Email also handles each rejection (to say why): one more event per rejected order.
        int extra = group.equals("email") ? rejectionMails : 0;
        soft.assertThat(published).as("events published to group %s for %d orders placed", group, placed.size())
            .isGreaterThanOrEqualTo((double) perOrder * placed.size() + extra);
        soft.assertThat(handled).as("events handled by group %s (handled / published = %.3f)", group, handled / published)
            .isLessThanOrEqualTo(MAX_REDELIVERY * published);
        soft.assertThat(handled).as("events handled by group %s for %d orders placed (%.2f per order, %d expected)",
            group, placed.size(), handled / placed.size(), perOrder)
            .isLessThanOrEqualTo(MAX_REDELIVERY * (perOrder * placed.size() + extra));
      }
      soft.assertThat(watch.unsettled().size()).as("orders not CONFIRMED/REJECTED with emailStatus SENT, of %d placed;"
          + " e.g. %s", placed.size(), watch.unsettled().stream().limit(4)
          .map(id -> id + " (" + OrderWatch.describe(watch.orders().get(id)) + ")").toList()).isZero();
      soft.assertThat(outcome.confirmed()).as("spike orders CONFIRMED").isPositive();
      soft.assertThat(outcome.rejected()).as("spike orders REJECTED (out of stock)").isPositive();
      Set<String> unmailed = new TreeSet<>(placed);
      unmailed.removeAll(mailsPerOrder.keySet());
      mailsPerOrder.keySet().removeIf(key -> key.startsWith("(other: Your order ") && key.endsWith("could not be fulfilled)"));
      Set<String> unknown = new TreeSet<>(mailsPerOrder.keySet());
      unknown.removeAll(placed);
      Map<String, Integer> duplicates = duplicates(mailsPerOrder);
      soft.assertThat(unmailed.size()).as("orders without an email at the SMTP server; e.g. %s", sample(unmailed)).isZero();
      soft.assertThat(unknown.size()).as("emails for no order placed; e.g. %s", sample(unknown)).isZero();
      soft.assertThat(duplicates.size()).as("orders emailed more than once; e.g. %s", sample(duplicates.entrySet()))
          .isZero();
      soft.assertThat(available).as("stock per SKU: initial - CONFIRMED quantity").isEqualTo(outcome.expectedStock());
      Set<String> toldWhyUnknown = new TreeSet<>(rejectionsPerOrder.keySet());
      toldWhyUnknown.removeAll(placed);
      soft.assertThat(toldWhyUnknown).as("'could not be fulfilled' mails for no order placed").isEmpty();
      soft.assertThat(duplicates(rejectionsPerOrder)).as("orders told twice they could not be fulfilled").isEmpty();
      soft.assertThat(rejectionMails).as("'could not be fulfilled' mails, for %d spike orders REJECTED", outcome.rejected())
          .isGreaterThanOrEqualTo(outcome.rejected());
      soft.assertAll();
    } finally {
      smtp.stop();
    }
  }

  /** The orders of the test: SKUs in turn, one or two units, all for one customer. */
  private static final class Orders {
    private final String customer;
    private final List<String> skus;
    private int next;

    Orders(String customer, List<String> skus) {
      this.customer = customer;
      this.skus = skus;
    }

    JsonObject next() {
      int n = next++;
      return Api.order(customer, skus.get(n % skus.size()), 1 + (n / skus.size()) % 2);
    }

    double meanQuantity() {
      return 1.5;
    }
  }

  /** The spike orders' final states, and the stock each SKU must have left. */
  private record Outcome(int confirmed, int rejected, Map<String, Integer> initial, Map<String, Integer> confirmedUnits) {
    static Outcome of(List<String> accepted, OrderWatch.Result watch, Map<String, Integer> initial) {
      int confirmed = 0;
      int rejected = 0;
      Map<String, Integer> units = new HashMap<>();
      for (String id : accepted) {
        JsonObject order = watch.orders().get(id);
        String status = order == null ? null : order.getString("status");
        if ("CONFIRMED".equals(status)) {
          confirmed++;
          order.getJsonArray("items").forEach(line -> units.merge(((JsonObject) line).getString("sku"),
              ((JsonObject) line).getInteger("quantity"), Integer::sum));
        } else if ("REJECTED".equals(status)) {
          rejected++;
        }
      }
      return new Outcome(confirmed, rejected, initial, units);
    }

    Map<String, Integer> expectedStock() {
      Map<String, Integer> out = new TreeMap<>();
      initial.forEach((sku, level) -> out.put(sku, level - confirmedUnits.getOrDefault(sku, 0)));
      return out;
    }

    String stockLine(Map<String, Integer> available) {
      StringBuilder out = new StringBuilder();
      initial.forEach((sku, level) -> out.append(String.format(Locale.ROOT, "%s %d - %d = %d%s; ", sku, level,
          confirmedUnits.getOrDefault(sku, 0), available.get(sku),
          available.get(sku) == level - confirmedUnits.getOrDefault(sku, 0) ? "" : " (WRONG)")));
      return out.toString();
    }
  }

  /** Emails per order id, from each message's subject (see EmailContract); others under "(other: subject)". */
  private static Map<String, Integer> mailsPerOrder(MimeMessage[] messages, Pattern subject) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    for (MimeMessage message : messages) {
      Matcher m = subject.matcher(String.valueOf(message.getSubject()));
      out.merge(m.matches() ? m.group(1) : "(other: " + message.getSubject() + ")", 1, Integer::sum);
    }
    return out;
  }

  private static Map<String, Integer> duplicates(Map<String, Integer> perOrder) {
    Map<String, Integer> out = new TreeMap<>();
    perOrder.forEach((id, n) -> {
      if (n > 1) {
        out.put(id, n);
      }
    });
    return out;
  }

  /** The first few dead letters: id, attempts and last error. */
  private static String describe(JsonArray deadLetters) {
    if (deadLetters == null) {
      return "(the list was refused)";
    }
    return sample(deadLetters.stream().map(d -> (JsonObject) d)
        .map(d -> d.getString("id") + " after " + d.getInteger("attempts") + " attempts: " + d.getString("lastError"))
        .toList());
  }

  /** A few elements of a possibly large collection, for a failure message. */
  private static String sample(Collection<?> items) {
    return items.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", ", "[", items.size() > 5 ? ", ...]" : "]"));
  }

  private static void assertOk(Response response) {
    if (response.status() != 200) {
      throw new AssertionError("expected 200, got " + response.status() + ": " + response.body());
    }
  }
}
