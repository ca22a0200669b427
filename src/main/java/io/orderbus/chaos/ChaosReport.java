package io.orderbus.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A chaos run as Markdown: the verdict, each check, the faults with their times, and the counts. */
final class ChaosReport {
  /** Violations listed per check; the rest are counted. */
  private static final int MAX_LISTED = 25;
  /** Orders named in violations whose whole state (timeline) the report shows. */
  private static final int MAX_ORDERS_SHOWN = 10;
  private static final Pattern ORDER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /**
   * @param loadStart when load and faults began, from the command's start (fault times are shown from it)
   * @param settled   how long, after the faults, everything took to settle (or the settle timeout)
   * @param whole     whether every node was a member again before the settling
   */
  record Run(ChaosOptions options, List<String> args, List<String> nodes, int smtpPort, Instant date,
             Duration loadStart, Duration settled, boolean whole) {
  }

  private final Run run;
  private final StringBuilder md = new StringBuilder();

  ChaosReport(Run run) {
    this.run = run;
  }

  String markdown(History history, List<HistoryCheck.Check> checks) {
    long failed = checks.stream().filter(c -> !c.passed()).count();
    line("# orderbus chaos run");
    line("");
    line("- date: " + run.date());
    line("- command: `java -jar target/orderbus.jar chaos " + String.join(" ", run.args()) + "`");
    line("- seed: " + run.options().seed() + "; load and faults for " + human(run.options().duration()) + " at "
        + run.options().rate() + " orders/s (plus sign-ups); settled in " + seconds(run.settled())
        + (run.whole() ? "" : " (not every node was a member again before settling)"));
    line("- cluster: " + String.join(", ", run.nodes()) + "; --min-cluster-size 3, --minority-timeout PT30S; mail through GreenMail on 127.0.0.1:"
        + run.smtpPort() + "; node logs in `" + run.options().out().resolve("logs") + "`");
    line("- **result: " + (failed == 0 ? "PASSED" : "FAILED") + "** (" + (checks.size() - failed) + " of " + checks.size()
        + " checks passed)");
    line("");
    checks(checks);
    faults(history.faults());
    if (!history.exits().isEmpty()) {
      line("Nodes that exited by themselves (cut off for `minorityTimeout`) and were started again: "
          + history.exits().stream().map(e -> e.node() + " (seen at " + at(e.seenAt()) + ")")
          .reduce((a, b) -> a + ", " + b).orElse("") + ".");
      line("");
    }
    counts(history);
    ordersNamed(history, checks);
    return md.toString();
  }

  private void checks(List<HistoryCheck.Check> checks) {
    line("## Checks");
    line("");
    line("| check | result | violations |");
    line("|---|---|---|");
    checks.forEach(c -> line("| " + c.name() + " | " + (c.passed() ? "passed" : "**FAILED**") + " | "
        + c.violations().size() + " |"));
    for (HistoryCheck.Check c : checks) {
      list(c.name() + ": " + c.violations().size() + " violations", c.violations());
    }
    for (HistoryCheck.Check c : checks) {
      list(c.name() + ": " + c.notes().size() + " allowed, explained by a fault", c.notes());
    }
    line("");
  }

  /** A heading and the first {@link #MAX_LISTED} items, if there are any. */
  private void list(String heading, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    line("");
    line("### " + heading);
    line("");
    items.stream().limit(MAX_LISTED).forEach(v -> line("- " + v));
    if (items.size() > MAX_LISTED) {
      line("- ... and " + (items.size() - MAX_LISTED) + " more");
    }
  }

  private void faults(List<FaultRecord> faults) {
    Map<FaultPlan.Kind, Integer> byKind = new EnumMap<>(FaultPlan.Kind.class);
    faults.forEach(f -> byKind.merge(f.kind(), 1, Integer::sum));
    line("## Faults: " + faults.size() + " (" + kinds(byKind) + ")");
    line("");
    line("Times from the start of the load. A node fault is recovered once both gateways have listed all five");
    line("nodes, and said the cluster is safe (every backup in sync), for " + seconds(ChaosTarget.STABLE_FOR) + " on end.");
    line("");
    line("| # | at | fault | target | for | undone at | recovered at | note |");
    line("|---|---|---|---|---|---|---|---|");
    int n = 0;
    for (FaultRecord f : faults) {
      line("| " + (++n) + " | " + at(f.start()) + " | " + f.kind() + " | " + f.target() + " | " + seconds(f.hold())
          + " | " + at(f.end()) + " | " + at(f.recoveredAt()) + " | " + (f.note() == null ? "" : f.note()) + " |");
    }
    line("");
  }

  private void counts(History history) {
    line("## Counts");
    line("");
    Map<ClientRequest.Kind, Map<Answer.Outcome, Integer>> outcomes = new EnumMap<>(ClientRequest.Kind.class);
    Map<String, Integer> retriedAnswers = new TreeMap<>();
    int attempts = 0;
    for (History.Request r : history.requests()) {
      outcomes.computeIfAbsent(r.kind(), k -> new EnumMap<>(Answer.Outcome.class)).merge(r.outcome(), 1, Integer::sum);
      attempts += r.attempts();
      r.retried().forEach((label, count) -> retriedAnswers.merge(label, count, Integer::sum));
    }
    line("Requests: " + history.requests().size() + ", attempts: " + attempts + " (" + (attempts - history.requests().size())
        + " retries under the same Idempotency-Key).");
    line("");
    line("| request | answers (definite) |");
    line("|---|---|");
    outcomes.forEach((kind, byOutcome) -> line("| " + kind + " (" + byOutcome.values().stream().mapToInt(i -> i).sum()
        + ") | " + byOutcome.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .reduce((a, b) -> a + ", " + b).orElse("") + " |"));
    line("");
    line("Answers that were retried: " + (retriedAnswers.isEmpty() ? "none" : retriedAnswers.entrySet().stream()
        .map(e -> "`" + e.getKey() + "` " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("")) + ".");
    line("");
    Map<String, Map<String, Integer>> orders = new TreeMap<>();
    history.orders().values().forEach(o -> orders.computeIfAbsent(String.valueOf(o.mode()), k -> new TreeMap<>())
        .merge(String.valueOf(o.status()), 1, Integer::sum));
    line("Orders at the end (" + history.orders().size() + " known): " + orders.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + "; " + b).orElse("none") + ".");
    line("");
    Map<String, Integer> mails = new TreeMap<>();
    history.mails().forEach(m -> {
      String key = HistoryCheck.mailKey(m.subject());
      mails.merge(key.contains(":") ? key.substring(0, key.indexOf(':')) : key, 1, Integer::sum);
    });
    line("Mails at the SMTP server: " + history.mails().size() + " (" + mails.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("none") + ").");
    line("");
    line("| SKU | initial | confirmed | available |");
    line("|---|---|---|---|");
    Map<String, Integer> confirmed = new TreeMap<>();
    history.orders().values().stream().filter(o -> "CONFIRMED".equals(o.status()))
        .forEach(o -> o.items().forEach((sku, q) -> confirmed.merge(sku, q, Integer::sum)));
    history.initialStock().forEach((sku, initial) -> line("| " + sku + " | " + initial + " | "
        + confirmed.getOrDefault(sku, 0) + " | " + history.available().getOrDefault(sku, null) + " |"));
    line("");
    line("Dead letters: " + (history.deadLetters() == null ? "unknown" : history.deadLetters().size())
        + "; events pending at the end: " + (history.pending() < 0 ? "unknown" : history.pending()) + ".");
    line("");
  }

  /** The whole state, timeline included, of the first orders the violations name. */
  private void ordersNamed(History history, List<HistoryCheck.Check> checks) {
    Set<String> named = new LinkedHashSet<>();
    for (HistoryCheck.Check c : checks) {
      for (String v : c.violations()) {
        Matcher m = ORDER_ID.matcher(v);
        while (m.find() && named.size() < MAX_ORDERS_SHOWN) {
          named.add(m.group());
        }
      }
    }
    if (named.isEmpty()) {
      return;
    }
    line("## Orders named above, as GET /orders/{id} shows them");
    line("");
    for (String id : named) {
      History.OrderState order = history.orders().get(id);
      line("- `" + id + "`: " + (order == null ? "not found" : "`" + order.json() + "`"));
    }
    line("");
  }

  private String at(Duration sinceCommandStart) {
    return sinceCommandStart == null ? "-" : seconds(sinceCommandStart.minus(run.loadStart()));
  }

  private static String kinds(Map<FaultPlan.Kind, Integer> byKind) {
    StringBuilder out = new StringBuilder();
    for (FaultPlan.Kind kind : FaultPlan.Kind.values()) {
      out.append(out.length() == 0 ? "" : ", ").append(kind).append(' ').append(byKind.getOrDefault(kind, 0));
    }
    return out.toString();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String human(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private void line(String text) {
    md.append(text).append('\n');
  }
}
