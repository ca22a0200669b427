package io.orderbus.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a {@link History}: what must hold after any fault the system claims to survive. Pure: it reads the
 * history and nothing else, so a test can hand it one with any violation in it.
 *
 * <p>Every request has its own customer address, so the mail an address received is the story of that one
 * request: the orders it placed are those its answer named and those its mail names.
 */
final class HistoryCheck {
  static final String ANSWERED = "every request answered definitively";
  static final String FINAL = "every order final, and as its client was told";
  static final String MAILS = "mails at the SMTP server exactly as promised";
  static final String STOCK = "stock conserved (initial - confirmed = available)";
  static final String DEAD_LETTERS = "no dead letters";
  static final String BACKLOG = "backlog drained";
  static final String FAULTS = "every fault undone and the cluster whole again";

  /**
   * One check: passed when it found no violation. {@code notes} are what it allowed and the report should
   * show all the same (a mail retransmitted after a fault that explains it).
   */
  record Check(String name, List<String> violations, List<String> notes) {
    Check(String name, List<String> violations) {
      this(name, violations, List.of());
    }

    boolean passed() {
      return violations.isEmpty();
    }
  }

  /** How long before the first copy of a retransmitted mail a fault may have begun and still explain it. */
  static final Duration FAULT_BEFORE = Duration.ofSeconds(2);
  /** How long after the exit of a node cut off the run may first have seen it gone. */
  static final Duration EXIT_SEEN_WITHIN = Duration.ofSeconds(90);
  /** How long after the first copy an SMTP outage may have begun and still have cost its answer. */
  static final Duration SMTP_OUTAGE_AFTER = Duration.ofSeconds(5);

  private static final Pattern RECEIVED = Pattern.compile("We received your order (\\S+)");
  private static final Pattern REJECTED = Pattern.compile("Your order (\\S+) could not be fulfilled");
  private static final Pattern CONFIRMED = Pattern.compile("Your order (\\S+) is confirmed");
  private static final String WELCOME = "Welcome to orderbus, ";

  private final History history;
  /** Per recipient: the orders its answer or its mail names. */
  private final Map<String, Set<String>> ordersOf = new LinkedHashMap<>();
  /** Per recipient: its mails by key ({@code received:<id>}, {@code welcome}, ...), every copy received. */
  private final Map<String, Map<String, List<SmtpSink.Mail>>> mailsOf = new LinkedHashMap<>();

  private HistoryCheck(History history) {
    this.history = history;
    for (History.Request r : history.requests()) {
      Set<String> orders = ordersOf.computeIfAbsent(r.recipient(), k -> new LinkedHashSet<>());
      if (r.orderId() != null) {
        orders.add(r.orderId());
      }
    }
    for (SmtpSink.Mail mail : history.mails()) {
      String key = mailKey(mail.subject());
      mailsOf.computeIfAbsent(mail.to(), k -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(mail);
      String id = orderOf(key);
      if (id != null) {
        ordersOf.computeIfAbsent(mail.to(), k -> new LinkedHashSet<>()).add(id);
      }
    }
  }

  /** Every check, in the order the report lists them. */
  static List<Check> run(History history) {
    HistoryCheck check = new HistoryCheck(history);
    return List.of(check.answered(), check.ordersFinal(), check.mails(), check.stock(), check.deadLetters(),
        check.backlog(), check.faults());
  }

  /** Every order id the history knows of: named by an answer or by a mail. */
  static Set<String> knownOrders(List<History.Request> requests, List<SmtpSink.Mail> mails) {
    Set<String> ids = new TreeSet<>();
    requests.stream().map(History.Request::orderId).filter(id -> id != null).forEach(ids::add);
    mails.stream().map(m -> orderOf(mailKey(m.subject()))).filter(id -> id != null).forEach(ids::add);
    return ids;
  }

  private Check answered() {
    List<String> violations = new ArrayList<>();
    for (History.Request r : history.requests()) {
      if (r.outcome() == Answer.Outcome.NONE) {
        violations.add(describe(r) + ": no definite answer after " + r.attempts() + " attempts (last: " + r.told() + ")");
      } else if (r.outcome() == Answer.Outcome.UNEXPECTED) {
        violations.add(describe(r) + ": answered " + r.told() + ", which this workload never asks for");
      } else if (r.orderId() == null && (r.outcome() == Answer.Outcome.ACCEPTED || r.outcome() == Answer.Outcome.CONFIRMED
          || r.outcome() == Answer.Outcome.FAILED)) {
        violations.add(describe(r) + ": answered " + r.told() + " without naming its order");
      }
    }
    return new Check(ANSWERED, violations);
  }

  private Check ordersFinal() {
    List<String> violations = new ArrayList<>();
    for (History.Request r : history.requests()) {
      if (r.kind() == ClientRequest.Kind.SIGNUP) {
        continue;
      }
      String mode = r.kind() == ClientRequest.Kind.ASYNC ? "async" : "sync";
      for (String id : ordersOf.getOrDefault(r.recipient(), Set.of())) {
        History.OrderState order = history.orders().get(id);
        if (order == null) {
          violations.add(describe(r) + ": order " + id + " not found");
          continue;
        }
        if (!mode.equals(order.mode())) {
          violations.add(describe(r) + ": order " + id + " is " + order.mode() + ", the request was " + mode);
        }
        Set<String> finals = mode.equals("async") ? Set.of("CONFIRMED", "REJECTED") : Set.of("CONFIRMED", "REJECTED", "FAILED");
        if (!finals.contains(order.status())) {
          violations.add(describe(r) + ": order " + id + " is " + order.status() + ", not final");
        }
        if (id.equals(r.orderId())) {
          String expected = switch (r.outcome()) {
            case CONFIRMED -> "CONFIRMED";
            case FAILED -> "FAILED";
            case OUT_OF_STOCK -> "REJECTED";
            default -> null;
          };
          if (expected != null && !expected.equals(order.status())) {
            violations.add(describe(r) + ": told " + r.told() + " but order " + id + " is " + order.status());
          }
        } else if (r.outcome() != Answer.Outcome.NONE) {
          violations.add(describe(r) + ": told " + r.told() + (r.orderId() == null ? "" : " naming order " + r.orderId())
              + ", but order " + id + " was placed for it and is " + order.status());
        }
      }
    }
    return new Check(FINAL, violations);
  }

  private Check mails() {
    List<String> violations = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<String> recipients = new LinkedHashSet<>();
    Map<String, History.Request> byRecipient = new LinkedHashMap<>();
    for (History.Request r : history.requests()) {
      recipients.add(r.recipient());
      byRecipient.put(r.recipient(), r);
    }
    for (String to : mailsOf.keySet()) {
      if (!recipients.contains(to)) {
        violations.add("mail to " + to + ", whom no request named: " + mailsOf.get(to));
      }
    }
    for (String to : recipients) {
      History.Request r = byRecipient.get(to);
      Map<String, Integer> expected = new TreeMap<>();
      if (r.kind() == ClientRequest.Kind.SIGNUP) {
        expected.put("welcome", 1);
      }
      for (String id : ordersOf.getOrDefault(to, Set.of())) {
        History.OrderState order = history.orders().get(id);
        if (order == null) {
          continue; // no order to say what it should have got; the order check names it
        }
        if ("async".equals(order.mode())) {
          expected.put("received:" + id, 1);
          if ("REJECTED".equals(order.status())) {
            expected.put("rejected:" + id, 1);
          }
        } else if ("CONFIRMED".equals(order.status())) {
          expected.put("confirmed:" + id, 1);
        }
      }
      Map<String, List<SmtpSink.Mail>> got = mailsOf.getOrDefault(to, Map.of());
      Set<String> keys = new TreeSet<>(expected.keySet());
      keys.addAll(got.keySet());
      for (String key : keys) {
        int want = expected.getOrDefault(key, 0);
        List<SmtpSink.Mail> copies = got.getOrDefault(key, List.of());
        int have = copies.size();
        if (have < want) {
          violations.add(describe(r) + ": no '" + key + "' mail");
        } else if (have > want) {
          String retransmission = want == 1 ? explainedRetransmission(copies) : null;
          if (retransmission == null) {
            violations.add(describe(r) + ": " + have + " '" + key + "' mails, " + want + " promised"
                + (want == 1 ? " (" + copiesOf(copies) + ")" : ""));
          } else {
            notes.add(describe(r) + ": '" + key + "' " + retransmission);
          }
        }
      }
    }
    return new Check(MAILS, violations, notes);
  }

  /**
   * What explains the copies of one mail being there more than once, or null if nothing does. Copies of one
   * message (one Message-ID) are the mailer's retransmission: allowed only where SMTP leaves no choice, when
   * the node that sent the first copy was killed or paused between that copy and the next (it may have died
   * after the server took the mail and before it could record that), or the SMTP server stopped just after
   * taking the first copy (its answer may never have reached the sender), or that node, cut off, could not record
   * it and exited (after {@code minorityTimeout}; its claim then expired). Two different Message-IDs are two
   * messages, never allowed.
   */
  private String explainedRetransmission(List<SmtpSink.Mail> copies) {
    List<SmtpSink.Mail> byTime = copies.stream()
        .sorted(java.util.Comparator.comparing(m -> m.receivedAt() == null ? Duration.ZERO : m.receivedAt())).toList();
    SmtpSink.Mail first = byTime.get(0);
    SmtpSink.Mail last = byTime.get(byTime.size() - 1);
    boolean oneMessage = first.messageId() != null
        && byTime.stream().allMatch(m -> first.messageId().equals(m.messageId()));
    if (!oneMessage || first.receivedAt() == null || last.receivedAt() == null) {
      return null;
    }
    Duration from = first.receivedAt().minus(FAULT_BEFORE);
    for (FaultRecord f : history.faults()) {
      boolean nodeFault = (f.kind() == FaultPlan.Kind.KILL || f.kind() == FaultPlan.Kind.PAUSE)
          && f.target().equals(first.sentBy()) && !f.start().minus(from).isNegative()
          && !last.receivedAt().minus(f.start()).isNegative();
      boolean smtpOutage = f.kind() == FaultPlan.Kind.SMTP && !f.start().minus(from).isNegative()
          && !first.receivedAt().plus(SMTP_OUTAGE_AFTER).minus(f.start()).isNegative();
      if (nodeFault || smtpOutage) {
        return "retransmitted, one message (" + copiesOf(byTime) + "), after " + f.kind() + " " + f.target()
            + " at " + seconds(f.start());
      }
    }
    for (History.Exit exit : history.exits()) {
      // Found when the run next looked, up to a recovery wait after the exit itself.
      if (exit.node().equals(first.sentBy()) && !exit.seenAt().minus(from).isNegative()
          && !last.receivedAt().plus(EXIT_SEEN_WITHIN).minus(exit.seenAt()).isNegative()) {
        return "retransmitted, one message (" + copiesOf(byTime) + "), after " + exit.node() + " exited cut off"
            + " (seen at " + seconds(exit.seenAt()) + ")";
      }
    }
    return null;
  }

  private static String copiesOf(List<SmtpSink.Mail> copies) {
    return copies.stream().map(m -> (m.messageId() == null ? "no Message-ID" : m.messageId()) + " from "
        + (m.sentBy() == null ? "?" : m.sentBy()) + " at " + (m.receivedAt() == null ? "?" : seconds(m.receivedAt())))
        .reduce((a, b) -> a + "; " + b).orElse("");
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private Check stock() {
    List<String> violations = new ArrayList<>();
    Map<String, Integer> confirmed = new TreeMap<>();
    for (History.OrderState order : history.orders().values()) {
      if ("CONFIRMED".equals(order.status())) {
        order.items().forEach((sku, n) -> confirmed.merge(sku, n, Integer::sum));
      }
    }
    history.initialStock().forEach((sku, initial) -> {
      Integer available = history.available().get(sku);
      int taken = confirmed.getOrDefault(sku, 0);
      if (available == null) {
        violations.add(sku + ": stock could not be read");
      } else if (initial - taken != available || available < 0) {
        violations.add(sku + ": initial " + initial + " - confirmed " + taken + " = " + (initial - taken)
            + ", but available is " + available);
      }
    });
    return new Check(STOCK, violations);
  }

  private Check deadLetters() {
    if (history.deadLetters() == null) {
      return new Check(DEAD_LETTERS, List.of("the dead letters could not be read"));
    }
    return new Check(DEAD_LETTERS, history.deadLetters());
  }

  private Check backlog() {
    if (history.pending() == 0) {
      return new Check(BACKLOG, List.of());
    }
    return new Check(BACKLOG, List.of((history.pending() < 0 ? "the backlog could not be read"
        : history.pending() + " events still pending") + ": " + history.pendingDetail()));
  }

  private Check faults() {
    List<String> violations = new ArrayList<>();
    int n = 0;
    for (FaultRecord f : history.faults()) {
      n++;
      if (!f.recovered() || f.note() != null) {
        violations.add("fault " + n + ", " + f.kind() + " " + f.target() + ": " + (f.note() == null ? "not recovered" : f.note()));
      }
    }
    if (!history.wholeAtEnd()) {
      violations.add("not every node a member of the cluster again once the faults had stopped");
    }
    return new Check(FAULTS, violations);
  }

  /** {@code received:<id>}, {@code rejected:<id>}, {@code confirmed:<id>}, {@code welcome}, or {@code other:<subject>}. */
  static String mailKey(String subject) {
    String s = subject == null ? "" : subject;
    Matcher m;
    if ((m = RECEIVED.matcher(s)).matches()) {
      return "received:" + m.group(1);
    }
    if ((m = REJECTED.matcher(s)).matches()) {
      return "rejected:" + m.group(1);
    }
    if ((m = CONFIRMED.matcher(s)).matches()) {
      return "confirmed:" + m.group(1);
    }
    return s.startsWith(WELCOME) ? "welcome" : "other:" + s;
  }

  /** The order a mail key names, or null. */
  private static String orderOf(String mailKey) {
    int colon = mailKey.indexOf(':');
    return colon > 0 && !mailKey.startsWith("other:") ? mailKey.substring(colon + 1) : null;
  }

  private static String describe(History.Request r) {
    return r.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + r.recipient();
  }
}
