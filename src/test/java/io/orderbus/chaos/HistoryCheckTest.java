package io.orderbus.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker passes a clean history, and flags each kind of violation put into one. */
class HistoryCheckTest {
  private static final String A1 = "00000000-0000-0000-0000-00000000000a";
  private static final String A2 = "00000000-0000-0000-0000-00000000000b";
  private static final String S1 = "00000000-0000-0000-0000-00000000000c";
  private static final String S2 = "00000000-0000-0000-0000-00000000000d";

  /** A history to change: async A1 confirmed, async A2 rejected, sync S1 confirmed, sync S2 failed, a sign-up. */
  private static final class Builder {
    final List<History.Request> requests = new ArrayList<>();
    final Map<String, History.OrderState> orders = new LinkedHashMap<>();
    final List<SmtpSink.Mail> mails = new ArrayList<>();
    final Map<String, Integer> initial = new LinkedHashMap<>(Map.of("sku", 10));
    final Map<String, Integer> available = new LinkedHashMap<>(Map.of("sku", 7));
    List<String> deadLetters = new ArrayList<>();
    long pending;
    boolean whole = true;
    final List<FaultRecord> faults = new ArrayList<>();
    final List<History.Exit> exits = new ArrayList<>();

    Builder() {
      request(ClientRequest.Kind.ASYNC, "a1@x.example", Answer.Outcome.ACCEPTED, A1, "202");
      order(A1, "async", "CONFIRMED", "a1@x.example", 2);
      mail("a1@x.example", "We received your order " + A1);
      request(ClientRequest.Kind.ASYNC, "a2@x.example", Answer.Outcome.ACCEPTED, A2, "202");
      order(A2, "async", "REJECTED", "a2@x.example", 20);
      mail("a2@x.example", "We received your order " + A2);
      mail("a2@x.example", "Your order " + A2 + " could not be fulfilled");
      request(ClientRequest.Kind.SYNC, "s1@x.example", Answer.Outcome.CONFIRMED, S1, "201");
      order(S1, "sync", "CONFIRMED", "s1@x.example", 1);
      mail("s1@x.example", "Your order " + S1 + " is confirmed");
      request(ClientRequest.Kind.SYNC, "s2@x.example", Answer.Outcome.FAILED, S2, "503 SERVICE_UNAVAILABLE");
      order(S2, "sync", "FAILED", "s2@x.example", 1);
      request(ClientRequest.Kind.ASYNC, "a3@x.example", Answer.Outcome.OUT_OF_STOCK, null, "409 OUT_OF_STOCK");
      request(ClientRequest.Kind.SIGNUP, "u1@x.example", Answer.Outcome.SIGNED_UP, null, "201");
      mail("u1@x.example", "Welcome to orderbus, U1");
      faults.add(new FaultRecord(FaultPlan.Kind.KILL, "n3", Duration.ofSeconds(2), Duration.ofSeconds(10),
          Duration.ofSeconds(25), Duration.ofSeconds(31), null));
      faults.add(new FaultRecord(FaultPlan.Kind.SMTP, "smtp", Duration.ofSeconds(9), Duration.ofSeconds(12),
          Duration.ofSeconds(21), null, null));
    }

    void request(ClientRequest.Kind kind, String to, Answer.Outcome outcome, String id, String told) {
      requests.add(new History.Request("key-" + to, kind, to, Map.of("sku", 1), outcome, id, told, 1, Map.of()));
    }

    void order(String id, String mode, String status, String to, int quantity) {
      orders.put(id, new History.OrderState(id, mode, status, to, Map.of("sku", quantity), "{}"));
    }

    void mail(String to, String subject) {
      mails.add(new SmtpSink.Mail(to, subject));
    }

    void mail(String to, String subject, String messageId, String sentBy, int atSeconds) {
      mails.add(new SmtpSink.Mail(to, subject, messageId, sentBy, Duration.ofSeconds(atSeconds)));
    }

    History history() {
      return new History(requests, orders, mails, initial, available, deadLetters, pending, "{}", faults, exits, whole);
    }
  }

  private static HistoryCheck.Check mailCheck(Builder b) {
    return HistoryCheck.run(b.history()).stream().filter(c -> c.name().equals(HistoryCheck.MAILS)).findFirst().orElseThrow();
  }

  private static Map<String, List<String>> failures(Consumer<Builder> change) {
    Builder b = new Builder();
    change.accept(b);
    Map<String, List<String>> failed = new LinkedHashMap<>();
    HistoryCheck.run(b.history()).stream().filter(c -> !c.passed()).forEach(c -> failed.put(c.name(), c.violations()));
    return failed;
  }

  @Test
  void aCleanHistoryPassesEveryCheck() {
    List<HistoryCheck.Check> checks = HistoryCheck.run(new Builder().history());
    assertThat(checks).hasSize(7).allMatch(HistoryCheck.Check::passed);
  }

  @Test
  void aMissingMailIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.mails.removeIf(m -> m.subject().contains("could not be fulfilled")));
    assertThat(failed).containsOnlyKeys(HistoryCheck.MAILS);
    assertThat(failed.get(HistoryCheck.MAILS)).singleElement().asString().contains("a2@x.example").contains("no 'rejected:");
  }

  @Test
  void aDuplicateMailIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.mail("u1@x.example", "Welcome to orderbus, U1"));
    assertThat(failed).containsOnlyKeys(HistoryCheck.MAILS);
    assertThat(failed.get(HistoryCheck.MAILS)).singleElement().asString().contains("2 'welcome' mails, 1 promised");
  }

  @Test
  void oneMessageSentAgainAfterItsSenderWasKilledIsAllowedAndReported() {
    // n3 was killed at 10 s: it took the mail to the server at 9 s and may have died before recording it.
    Builder b = new Builder();
    b.mails.removeIf(m -> m.to().equals("u1@x.example"));
    b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n3", 9);
    b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n4", 70);
    HistoryCheck.Check mails = mailCheck(b);
    assertThat(mails.passed()).as(String.valueOf(mails.violations())).isTrue();
    assertThat(mails.notes()).singleElement().asString().contains("u1@x.example").contains("retransmitted")
        .contains("KILL n3");
  }

  @Test
  void oneMessageSentAgainAfterItsSenderExitedCutOffIsAllowed() {
    // n4 had no planned fault, but was cut off, could not record the mail, and exited (seen at 50 s).
    Builder b = new Builder();
    b.mails.removeIf(m -> m.to().equals("u1@x.example"));
    b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n4", 40);
    b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n5", 100);
    b.exits.add(new History.Exit("n4", Duration.ofSeconds(50)));
    HistoryCheck.Check mails = mailCheck(b);
    assertThat(mails.passed()).as(String.valueOf(mails.violations())).isTrue();
    assertThat(mails.notes()).singleElement().asString().contains("n4 exited cut off");
  }

  @Test
  void aRetransmissionNoFaultExplainsIsFlagged() {
    Map<String, List<String>> failed = failures(b -> {
      b.mails.removeIf(m -> m.to().equals("u1@x.example"));
      // Sent by n4, which had no fault, and long after the SMTP outage (12 s to 21 s).
      b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n4", 40);
      b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n4", 100);
    });
    assertThat(failed).containsOnlyKeys(HistoryCheck.MAILS);
    assertThat(failed.get(HistoryCheck.MAILS)).singleElement().asString().contains("2 'welcome' mails, 1 promised")
        .contains("<m1@x> from n4 at 40.0 s");
  }

  @Test
  void twoDifferentMessagesForOneMailAreFlaggedWhateverTheFaults() {
    Map<String, List<String>> failed = failures(b -> {
      b.mails.removeIf(m -> m.to().equals("u1@x.example"));
      b.mail("u1@x.example", "Welcome to orderbus, U1", "<m1@x>", "n3", 9);
      b.mail("u1@x.example", "Welcome to orderbus, U1", "<m2@x>", "n4", 70);
    });
    assertThat(failed).containsOnlyKeys(HistoryCheck.MAILS);
  }

  @Test
  void aMailForAFailedSyncOrderAndAMailToAStrangerAreFlagged() {
    Map<String, List<String>> failed = failures(b -> {
      b.mail("s2@x.example", "Your order " + S2 + " is confirmed");
      b.mail("nobody@x.example", "We received your order 00000000-0000-0000-0000-0000000000ff");
    });
    assertThat(failed).containsKey(HistoryCheck.MAILS);
    assertThat(failed.get(HistoryCheck.MAILS)).anyMatch(v -> v.contains("s2@x.example") && v.contains("0 promised"))
        .anyMatch(v -> v.contains("nobody@x.example"));
  }

  @Test
  void aNonFinalOrderIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.order(A1, "async", "ACCEPTED", "a1@x.example", 2));
    assertThat(failed).containsKey(HistoryCheck.FINAL);
    assertThat(failed.get(HistoryCheck.FINAL)).singleElement().asString().contains(A1).contains("not final");
  }

  @Test
  void aCreatedAnswerForAFailedOrderIsFlagged() {
    Map<String, List<String>> failed = failures(b -> {
      b.order(S1, "sync", "FAILED", "s1@x.example", 1);
      b.mails.removeIf(m -> m.to().equals("s1@x.example"));
      b.available.put("sku", 8);
    });
    assertThat(failed).containsOnlyKeys(HistoryCheck.FINAL);
    assertThat(failed.get(HistoryCheck.FINAL)).singleElement().asString().contains("told 201 but order " + S1 + " is FAILED");
  }

  @Test
  void anOutOfStockAnswerForAnOrderThatWasPlacedAnywayIsFlagged() {
    String placed = "00000000-0000-0000-0000-0000000000ee";
    Map<String, List<String>> failed = failures(b -> {
      b.mail("a3@x.example", "We received your order " + placed);
      b.order(placed, "async", "REJECTED", "a3@x.example", 1);
      b.mail("a3@x.example", "Your order " + placed + " could not be fulfilled");
    });
    assertThat(failed).containsOnlyKeys(HistoryCheck.FINAL);
    assertThat(failed.get(HistoryCheck.FINAL)).singleElement().asString().contains("told 409 OUT_OF_STOCK").contains(placed);
  }

  @Test
  void stockNotConservedIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.available.put("sku", 8));
    assertThat(failed).containsOnlyKeys(HistoryCheck.STOCK);
    assertThat(failed.get(HistoryCheck.STOCK)).singleElement().asString()
        .contains("initial 10 - confirmed 3 = 7, but available is 8");
  }

  @Test
  void aDeadLetterIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.deadLetters.add("{\"id\":\"email:e1\"}"));
    assertThat(failed).containsOnlyKeys(HistoryCheck.DEAD_LETTERS);
  }

  @Test
  void aPendingBacklogAndAnUnansweredRequestAndAnUnrecoveredFaultAreFlagged() {
    Map<String, List<String>> failed = failures(b -> {
      b.pending = 3;
      b.request(ClientRequest.Kind.SYNC, "s9@x.example", Answer.Outcome.NONE, null, "504 SERVICE_TIMEOUT");
      b.faults.add(new FaultRecord(FaultPlan.Kind.PAUSE, "n5", Duration.ofSeconds(8), Duration.ofSeconds(40),
          Duration.ofSeconds(48), null, null));
    });
    assertThat(failed).containsOnlyKeys(HistoryCheck.BACKLOG, HistoryCheck.ANSWERED, HistoryCheck.FAULTS);
    assertThat(failed.get(HistoryCheck.ANSWERED)).singleElement().asString().contains("s9@x.example");
    assertThat(failed.get(HistoryCheck.FAULTS)).singleElement().asString().contains("PAUSE n5");
  }

  @Test
  void aClusterNotWholeAtTheEndIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.whole = false);
    assertThat(failed).containsOnlyKeys(HistoryCheck.FAULTS);
  }

  @Test
  void anOrderThatCannotBeFoundIsFlagged() {
    Map<String, List<String>> failed = failures(b -> b.orders.remove(A1));
    assertThat(failed).containsKey(HistoryCheck.FINAL);
    assertThat(failed.get(HistoryCheck.FINAL)).singleElement().asString().contains(A1 + " not found");
  }
}
