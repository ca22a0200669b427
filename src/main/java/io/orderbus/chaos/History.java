package io.orderbus.chaos;

import java.util.List;
import java.util.Map;

/**
 * Everything a chaos run saw, as the checker reads it: what each client was told, each order's final state as
 * the cluster shows it, the mail the SMTP server received, the stock, the dead letters and the backlog at the
 * end, and the faults.
 *
 * @param orders         every order known (named by an answer or by a mail), by id; an order that could not be
 *                       read is absent
 * @param available      each SKU's stock at the end; a SKU that could not be read is absent
 * @param deadLetters    one line per dead letter, or null if they could not be read
 * @param pending        events pending at the end, summed over the groups; -1 if unknown
 * @param pendingDetail  what the cluster said about them, for the report
 * @param exits          nodes that exited by themselves (cut off for {@code minorityTimeout}) and were started again
 * @param wholeAtEnd     whether every node was a member of the cluster again once the faults had stopped
 */
record History(List<Request> requests, Map<String, OrderState> orders, List<SmtpSink.Mail> mails,
               Map<String, Integer> initialStock, Map<String, Integer> available, List<String> deadLetters,
               long pending, String pendingDetail, List<FaultRecord> faults, List<Exit> exits, boolean wholeAtEnd) {

  /** A node found not running though no fault had stopped it (it exited after being cut off), and when. */
  record Exit(String node, java.time.Duration seenAt) {
  }

  /**
   * One request and its definite answer.
   *
   * @param orderId the order its answer named, or null
   * @param told    the answer, e.g. {@code 202} or {@code 409 OUT_OF_STOCK}
   * @param retried answers that were retried, by label
   */
  record Request(String key, ClientRequest.Kind kind, String recipient, Map<String, Integer> items,
                 Answer.Outcome outcome, String orderId, String told, int attempts, Map<String, Integer> retried) {
  }

  /**
   * An order as {@code GET /orders/{id}} showed it at the end.
   *
   * @param json the whole answer (its timeline tells which node did what), for the report
   */
  record OrderState(String id, String mode, String status, String customer, Map<String, Integer> items, String json) {
  }
}
