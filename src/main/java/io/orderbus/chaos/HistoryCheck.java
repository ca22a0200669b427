package io.orderbus.chaos;

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

  /** One check: passed when it found no violation. */
  record Check(String name, List<String> violations) {
    boolean passed() {
      return violations.isEmpty();
    }
  }

  private static final Pattern RECEIVED = Pattern.compile("We received your order (\\S+)");
  private static final Pattern REJECTED = Pattern.compile("Your order (\\S+) could not be fulfilled");
  private static final Pattern CONFIRMED = Pattern.compile("Your order (\\S+) is confirmed");
  private static final String WELCOME = "Welcome to orderbus, ";

  private final History history;
  /** Per recipient: the orders its answer or its mail names. */
  private final Map<String, Set<String>> ordersOf = new LinkedHashMap<>();
  /** Per recipient: its mails as keys ({@code received:<id>}, {@code welcome}, ...), with their counts. */
  private final Map<String, Map<String, Integer>> mailsOf = new LinkedHashMap<>();

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
      mailsOf.computeIfAbsent(mail.to(), k -> new TreeMap<>()).merge(key, 1, Integer::sum);
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
      Map<String, Integer> got = mailsOf.getOrDefault(to, Map.of());
      Set<String> keys = new TreeSet<>(expected.keySet());
      keys.addAll(got.keySet());
      for (String key : keys) {
        int want = expected.getOrDefault(key, 0);
        int have = got.getOrDefault(key, 0);
        if (have < want) {
          violations.add(describe(r) + ": no '" + key + "' mail");
        } else if (have > want) {
          violations.add(describe(r) + ": " + have + " '" + key + "' mails, " + want + " promised");
        }
      }
    }
    return new Check(MAILS, violations);
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
