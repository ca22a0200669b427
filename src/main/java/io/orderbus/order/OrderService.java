package io.orderbus.order;

import io.orderbus.events.EmailEvents;
import io.orderbus.events.Line;
import io.orderbus.events.OrderEvents;
import io.orderbus.events.OrderEvents.OrderCreated;
import io.orderbus.events.StockEvents.StockOutcome;
import io.orderbus.events.StockEvents;

import io.orderbus.messaging.HazelcastCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orderbus.email.EmailContract;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.InventoryContract.ReserveRequest;
import io.orderbus.inventory.InventoryContract.StockLevel;
import io.orderbus.messaging.BacklogFullException;
import io.orderbus.messaging.ClusterClock;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.Event;
import io.orderbus.messaging.Hops;
import io.orderbus.messaging.PublishHealer;
import io.orderbus.messaging.Replies;
import io.orderbus.messaging.ServiceFailure;
import io.orderbus.messaging.ServiceUnreachable;
import io.orderbus.messaging.Trace;
import io.orderbus.email.EmailApi;
import io.orderbus.email.EmailContract.CancelEmail;
import io.orderbus.email.EmailContract.SendEmail;
import io.orderbus.email.EmailContract.SentEmail;
import io.orderbus.inventory.InventoryApi;
import io.orderbus.order.OrderContract.PlaceOrder;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Places orders on the two paths and follows them to their outcome.
 *
 * <p>Async: record the order, publish {@code OrderCreated} durably, answer at once; the order group then
 * applies what inventory and email report. Sync: ask inventory, then email, each with a timeout, and
 * answer with the final state; a failed email gives the reserved stock back, because the checkout failed.
 *
 * <p>The sync path is a chain of requests that any node's death can cut. So before it starts, it publishes
 * a durable {@link OrderEvents#SYNC_ORDER_DUE} for when the chain must have ended: whichever order node
 * handles it settles an order still {@code ACCEPTED} (confirmed if its email went out, else failed with
 * the email cancelled for good) and gives back the stock of an order that did not end {@code CONFIRMED}.
 * An email that may still be on its way is never assumed lost: it is cancelled first, and only a
 * cancelled email lets an order fail.
 *
 * <p>An {@code Idempotency-Key} stands for one request: a retry gets the first answer again, a concurrent
 * one {@code REQUEST_IN_PROGRESS}, another request under the same key {@code IDEMPOTENCY_KEY_REUSED}.
 */
public final class OrderService implements OrderApi {
  private static final Logger LOG = Logger.getLogger(OrderService.class.getName());

  private final Vertx vertx;
  private final Delivery delivery;
  private final String node;
  private final Duration requestTimeout;
  private final SyncCircuits circuits;
  /** When a sync order's requests must all have ended: the gateway's wait, and a second more. */
  private final Duration syncDeadline;
  /** Timelines and key claims are read on other nodes: stamped with the cluster's time. */
  private final ClusterClock clock;
  private final IMap<String, StoredOrder> orders;
  private final IdempotencyKeys idempotencyKeys;
  private final PublishHealer healer;
  private final InventoryApi inventory;
  private final EmailApi email;
  /** Last stock level heard per SKU: lets the async path refuse a plainly impossible order at once. */
  private final Map<String, Integer> levels = new ConcurrentHashMap<>();

  public OrderService(Vertx vertx, HazelcastInstance hazelcast, Delivery delivery, String node, Duration requestTimeout,
                      int circuitMaxFailures, Duration circuitResetTimeout) {
    this.vertx = vertx;
    this.circuits = new SyncCircuits(vertx, new SyncCircuits.Settings(circuitMaxFailures, circuitResetTimeout));
    this.delivery = delivery;
    this.node = node;
    this.requestTimeout = requestTimeout;
    this.syncDeadline = requestTimeout.multipliedBy(3).plusSeconds(2);
    this.orders = hazelcast.getMap(OrderContract.ORDERS_MAP);
    this.clock = ClusterClock.of(hazelcast);
    this.idempotencyKeys = new IdempotencyKeys(vertx, hazelcast);
    this.healer = new PublishHealer(vertx);
    this.inventory = InventoryApi.client(vertx, requestTimeout);
    this.email = EmailApi.client(vertx, requestTimeout);
  }

  @Override
  public Future<Order> place(PlaceOrder request) {
    return place(request.body(), request.mode(), request.idempotencyKey(), request.deadline());
  }

  /**
   * Validates and places an order; {@code mode} is null, "async" or "sync"; {@code deadline} (cluster time, or
   * null for none) is when the asker stops waiting: past it nothing is placed ({@link OrderContract#REQUEST_EXPIRED}).
   */
  private Future<Order> place(JsonObject body, String mode, String idempotencyKey, Long deadline) {
    OrderMode path = OrderMode.parse(mode);
    if (path == null) {
      return Future.failedFuture(new OrderFailure(OrderContract.UNKNOWN_MODE,
          "mode must be 'async' or 'sync', not '" + mode + "'"));
    }
    boolean sync = path == OrderMode.SYNC;
    if (idempotencyKey != null && !OrderContract.IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      return Future.failedFuture(new OrderFailure(OrderContract.INVALID_IDEMPOTENCY_KEY,
          "Idempotency-Key must be 1-255 visible ASCII characters (no spaces or control characters)"));
    }
    OrderRequest request;
    try {
      request = OrderRequest.parse(body);
    } catch (OrderFailure e) {
      return Future.failedFuture(e);
    }
    String id = UUID.randomUUID().toString();
    if (idempotencyKey == null) {
      return inTime(deadline).compose(v -> checkAgainstCatalog(request, !sync))
          .compose(v -> inTime(deadline))
          .compose(v -> placeNew(id, request, sync, null, null));
    }
    if (expired(deadline)) {
      return Future.failedFuture(expiredFailure());
    }
    IdempotencyKeys.Claim mine = IdempotencyKeys.Claim.placing(id, fingerprint(request, sync), clock.now());
    // The key first: a retry of an order that took the last units must find its order, not be refused by the
    // stock level its own order brought down.
    return idempotencyKeys.claim(idempotencyKey, mine)
        .compose(standing -> standing == null
            ? answered(idempotencyKey, mine, checkAgainstCatalog(request, !sync)
                .compose(v -> expired(deadline)
                    ? notAccepted(idempotencyKey, mine).compose(x -> Future.failedFuture(expiredFailure()))
                    : placeNew(id, request, sync, idempotencyKey, mine)))
            : retried(idempotencyKey, standing, mine, request, sync));
  }

  @Override
  public Future<Order> get(String id) {
    return HazelcastCalls.on(orders.getAsync(id), vertx.getOrCreateContext()).compose(stored -> stored == null
        ? Future.failedFuture(new OrderFailure(OrderContract.ORDER_NOT_FOUND, "no order '" + id + "'"))
        : Future.succeededFuture(stored.order()));
  }

  /**
   * Applies what inventory and email report, and settles sync orders when they are due; fails (to be
   * redelivered) while the order is not yet visible or a service it needs cannot be asked.
   */
  public Future<Void> onEvent(Event event) {
    if (event.topic().equals(OrderEvents.SYNC_ORDER_DUE)) {
      return settleSyncOrder(OrderCreated.fromJson(event.payload()));
    }
    StockOutcome outcome = StockOutcome.fromJson(event.payload());
    String orderId = outcome.orderId();
    Order.TimelineEntry reported = new Order.TimelineEntry(event.topic(), event.publishedBy(), event.publishedAt(), event.id());
    OrderUpdate update = switch (event.topic()) {
      case StockEvents.STOCK_RESERVED -> new OrderUpdate(OrderStatus.CONFIRMED, null, null, reported,
          entry(OrderStatus.CONFIRMED, event.id() + "/status"));
      case StockEvents.STOCK_REJECTED -> new OrderUpdate(OrderStatus.REJECTED, outcome.reason(), null,
          reported, entry(OrderStatus.REJECTED, event.id() + "/status"));
      case EmailEvents.EMAIL_SENT -> new OrderUpdate(null, null, EmailStatus.SENT, reported);
      default -> null;
    };
    if (update == null) {
      return Future.succeededFuture();
    }
    return apply(orderId, update).compose(updated -> {
      if (updated == null) {
        return Future.failedFuture("order " + orderId + " is not stored yet");
      }
      Hops.log(orderId, event.topic(), updated.status());
      return Future.succeededFuture();
    });
  }

  private Future<Order> placeNew(String id, OrderRequest request, boolean sync, String idempotencyKey,
                                 IdempotencyKeys.Claim claim) {
    return sync ? placeSync(id, request, idempotencyKey, claim) : placeAsync(id, request, idempotencyKey, claim);
  }

  private Future<Order> placeAsync(String id, OrderRequest request, String idempotencyKey, IdempotencyKeys.Claim claim) {
    Order order = newOrder(id, request, OrderMode.ASYNC);
    JsonObject payload = orderCreated(order);
    return storeIfAbsent(order)
        .compose(existing -> existing != null
            ? settledOrHealed(existing)
            : delivery.publish(OrderEvents.ORDER_CREATED, id, payload).map(order)
                .onSuccess(placed -> Hops.log(id, "stored, OrderCreated published")))
        .recover(failure -> {
          if (!(failure instanceof BacklogFullException full)) {
            return failure instanceof OrderFailure || Replies.isMinority(failure) ? Future.failedFuture(failure)
                : publishIncomplete(order, failure);
          }
          // Not accepted after all: leave no trace, so a retry starts clean. Unless another request with the
          // same key took the order over meanwhile: then it is theirs, and stays.
          return notAccepted(idempotencyKey, claim).compose(mine -> mine
                  ? HazelcastCalls.on(orders.removeAsync(id), vertx.getOrCreateContext()).mapEmpty()
                  : Future.succeededFuture())
              .compose(x -> Future.failedFuture(backlogFull(full)));
        });
  }

  private Future<Order> placeSync(String id, OrderRequest request, String idempotencyKey, IdempotencyKeys.Claim claim) {
    Order order = newOrder(id, request, OrderMode.SYNC);
    // The guard first: an order is never stored without something that will settle it.
    return delivery.publishDelayed(OrderEvents.SYNC_ORDER_DUE, "sync-due-" + id, orderCreated(order), syncDeadline)
        .recover(failure -> {
          if (!(failure instanceof BacklogFullException full)) {
            return Future.failedFuture(failure);
          }
          return notAccepted(idempotencyKey, claim).compose(x -> Future.failedFuture(backlogFull(full)));
        })
        .compose(v -> storeIfAbsent(order))
        .compose(existing -> existing != null ? syncAnswer(existing) : reserveThenMail(order));
  }

  /**
   * Whether the asker has stopped waiting. A request can arrive that late when its node was paused or starved
   * with it queued: its client was answered {@code 504} and may have placed the order again through another
   * node, and a node back from a pause may briefly act on its stale copy of the key store, where that retry's
   * claim is not seen. So nothing is placed after the deadline.
   */
  private boolean expired(Long deadline) {
    return deadline != null && clock.now() > deadline;
  }

  private Future<Void> inTime(Long deadline) {
    return expired(deadline) ? Future.failedFuture(expiredFailure()) : Future.succeededFuture();
  }

  private static OrderFailure expiredFailure() {
    return new OrderFailure(OrderContract.REQUEST_EXPIRED, "the gateway stopped waiting for this request before it"
        + " could be placed; nothing was placed");
  }

  /** Frees the key of a request that was refused before anything was accepted; true if it was still ours. */
  private Future<Boolean> notAccepted(String idempotencyKey, IdempotencyKeys.Claim claim) {
    return idempotencyKey == null ? Future.succeededFuture(true) : idempotencyKeys.forget(idempotencyKey, claim);
  }

  private static OrderFailure backlogFull(BacklogFullException full) {
    return new OrderFailure(OrderContract.BACKLOG_FULL, full.getMessage(), full.retryAfterSeconds());
  }

  private Future<Order> reserveThenMail(Order order) {
    String id = order.id();
    ReserveRequest reserve = new ReserveRequest(id, order.items());
    return circuits.inventory(() -> inventory.reserve(reserve))
        .recover(failure -> inventoryFailed(id, failure))
        .compose(reservation -> apply(id, new OrderUpdate(null, null, null,
            new Order.TimelineEntry(StockEvents.STOCK_RESERVED, reservation.node(), clock.now(), "sync-reserved"))))
        .compose(v -> circuits.email(() -> email.send(confirmation(order))))
        .transform(ar -> {
          if (ar.succeeded()) {
            return confirmed(id, ar.result());
          }
          return ar.cause() instanceof OrderFailure ? Future.failedFuture(ar.cause()) : emailFailed(order, ar.cause());
        });
  }

  private Future<Reservation> inventoryFailed(String id, Throwable failure) {
    if (failure instanceof ServiceFailure refused
        && (refused.code() == InventoryContract.OUT_OF_STOCK || refused.code() == InventoryContract.UNKNOWN_SKU)) {
      boolean outOfStock = refused.code() == InventoryContract.OUT_OF_STOCK;
      String reason = outOfStock ? "OUT_OF_STOCK" : "UNKNOWN_SKU";
      return apply(id, new OrderUpdate(OrderStatus.REJECTED, reason, null,
          entry(StockEvents.STOCK_REJECTED, "sync-rejected"), entry(OrderStatus.REJECTED, "sync-rejected/status")))
          .compose(v -> Future.failedFuture(new OrderFailure(
              outOfStock ? OrderContract.OUT_OF_STOCK : OrderContract.UNKNOWN_SKU, refused.getMessage())));
    }
    OrderFailure result = serviceFailure("inventory", failure,
        OrderContract.INVENTORY_UNAVAILABLE, OrderContract.INVENTORY_TIMEOUT, OrderContract.INVENTORY_CIRCUIT_OPEN);
    // The email was never asked for, so the order can fail now. A timed-out reservation may still happen:
    // the release leaves a mark that stops it, and the guard releases again should this one not get through.
    return markFailed(id, result.getMessage(), EmailStatus.FAILED)
        .compose(v -> releaseSoon(id))
        .compose(v -> Future.failedFuture(naming(id, result)));
  }

  /**
   * The email request failed, but the email may still go out (a timeout, a send under way): cancel it, and
   * fail the order only once it is cancelled. If it went out after all, the order is confirmed. If the
   * email service cannot say yet, the order stays ACCEPTED and its guard settles it.
   */
  private Future<Order> emailFailed(Order order, Throwable failure) {
    OrderFailure result = serviceFailure("email", failure, OrderContract.EMAIL_UNAVAILABLE, OrderContract.EMAIL_TIMEOUT,
        OrderContract.EMAIL_CIRCUIT_OPEN);
    return cancelConfirmation(order).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(result.withMessage(result.getMessage()
            + "; whether the confirmation went out is not known yet: order " + order.id() + " is settled within "
            + syncDeadline.toSeconds() + " s (GET /orders/" + order.id() + ")", true));
      }
      if (ar.result() != null) {
        return confirmed(order.id(), ar.result());
      }
      return markFailed(order.id(), result.getMessage(), EmailStatus.FAILED)
          .compose(v -> releaseSoon(order.id()))
          .compose(v -> Future.failedFuture(naming(order.id(), result)));
    });
  }

  /**
   * Settles a sync order once it is due, whatever became of the node that placed it: an order never stored
   * is recorded FAILED; one still ACCEPTED is confirmed if its email went out, else failed with the email
   * cancelled, unless the SMTP server may have its email: then the email is sent again and the order confirmed,
   * since the customer may already have been told so. The stock of a FAILED order is given back. Idempotent:
   * every step may run again.
   */
  private Future<Void> settleSyncOrder(OrderCreated due) {
    String id = due.orderId();
    return HazelcastCalls.on(orders.getAsync(id), vertx.getOrCreateContext()).compose(stored -> {
      if (stored == null) {
        List<Line> items = due.items();
        long now = clock.now();
        String reason = "the order node stopped before the order was recorded";
        Order never = new Order(id, due.customerEmail(), items, OrderMode.SYNC, OrderStatus.FAILED, reason, EmailStatus.FAILED,
            now, List.of(new Order.TimelineEntry(OrderStatus.FAILED.name(), node, now, "sync-due")), Trace.current());
        return storeIfAbsent(never).compose(existing -> existing == null ? Future.succeededFuture()
            : Future.failedFuture("order " + id + " was stored meanwhile: settle it on redelivery"));
      }
      Order order = stored.order();
      return switch (order.status()) {
        case FAILED -> release(id);
        case ACCEPTED -> cancelConfirmation(order).compose(sent -> sent != null
            ? confirmed(id, sent).<Void>mapEmpty().recover(f -> f instanceof OrderFailure
                ? Future.succeededFuture() : Future.failedFuture(f))
            : markFailed(id, "the order did not finish within " + syncDeadline.toSeconds()
                + " s (a service or the node placing it stopped answering)", EmailStatus.FAILED).compose(v -> release(id)));
        default -> Future.succeededFuture();
      };
    });
  }

  /**
   * The confirmation as sent, or null once it is cancelled for good; fails while nobody can tell. One that
   * may have reached the SMTP server cannot be cancelled: it is sent again (the same message), and the order
   * goes as that send does.
   */
  private Future<SentEmail> cancelConfirmation(Order order) {
    SendEmail confirmation = confirmation(order);
    return email.cancel(new CancelEmail(confirmation.to(), confirmation.key())).recover(failure ->
        failure instanceof ServiceFailure f && f.code() == EmailContract.MAY_HAVE_BEEN_SENT
            ? email.send(confirmation) : Future.failedFuture(failure));
  }

  private Future<Order> confirmed(String id, SentEmail sent) {
    return apply(id, new OrderUpdate(OrderStatus.CONFIRMED, null, EmailStatus.SENT,
        new Order.TimelineEntry(EmailEvents.EMAIL_SENT, sent.node(), sent.sentAt(), "sync-email"),
        entry(OrderStatus.CONFIRMED, "sync-confirmed")))
        .onSuccess(order -> Hops.log(id, "EmailSent (sync)", order == null ? null : order.status()))
        .compose(this::syncAnswer);
  }

  /**
   * What a sync order's request answers, from the order as it stands: the order when CONFIRMED, else the
   * failure it ended with. An order another request is still placing answers IN_PROGRESS.
   */
  private Future<Order> syncAnswer(Order order) {
    return switch (order.status()) {
      case CONFIRMED -> Future.succeededFuture(order);
      case REJECTED -> Future.failedFuture("UNKNOWN_SKU".equals(order.reason())
          ? new OrderFailure(OrderContract.UNKNOWN_SKU, "order " + order.id() + " was rejected: unknown SKU")
          : new OrderFailure(OrderContract.OUT_OF_STOCK, "order " + order.id() + " was rejected: not enough stock"));
      case FAILED -> Future.failedFuture(new OrderFailure(OrderContract.ORDER_FAILED,
          "order " + order.id() + " failed: " + order.reason()));
      default -> Future.failedFuture(inProgress(order.id()));
    };
  }

  private OrderFailure serviceFailure(String service, Throwable failure, int unavailable, int timeout, int circuitOpen) {
    if (failure instanceof OpenCircuitException) {
      return new OrderFailure(circuitOpen, service + " service failed repeatedly: its circuit is open, so it is not asked",
          (int) Math.max(1, circuits.resetTimeout().toSeconds()));
    }
    if (failure instanceof ServiceUnreachable unreachable) {
      return new OrderFailure(unreachable.timedOut() ? timeout : unavailable, unreachable.getMessage());
    }
    // What the service (or the SMTP server or database behind it) said stays in this node's log: a client is
    // told which service failed, never an upstream server's own words, which may name hosts, users or versions.
    LOG.warning(() -> service + " service failed on the sync path: " + failure);
    boolean smtp = failure instanceof ServiceFailure refused && refused.code() == EmailContract.SMTP_FAILED;
    return new OrderFailure(unavailable, smtp ? "email service could not hand the email to the SMTP server"
        : service + " service failed");
  }

  private Future<Void> markFailed(String id, String reason, EmailStatus emailStatus) {
    return apply(id, new OrderUpdate(OrderStatus.FAILED, reason, emailStatus, entry(OrderStatus.FAILED, "sync-failed"))).mapEmpty();
  }

  private Future<Void> release(String id) {
    return inventory.release(id).mapEmpty();
  }

  /** Releases now if inventory answers; if not, the order's guard does it later, so nothing is lost. */
  private Future<Void> releaseSoon(String id) {
    return release(id).recover(failure -> {
      LOG.info(() -> "order " + id + ": stock not released yet (" + failure.getMessage() + "); its guard releases it");
      return Future.succeededFuture();
    });
  }

  /**
   * A request whose key was claimed before. A different request under the same key is refused; an answered
   * one gets the first answer again; one still being placed answers IN_PROGRESS until its attempt could no
   * longer be waited for, after which this request takes the order over and resumes it.
   */
  private Future<Order> retried(String idempotencyKey, IdempotencyKeys.Claim standing, IdempotencyKeys.Claim mine,
                                OrderRequest request, boolean sync) {
    if (!standing.fingerprint().equals(mine.fingerprint())) {
      return Future.failedFuture(new OrderFailure(OrderContract.IDEMPOTENCY_KEY_REUSED,
          "Idempotency-Key was used before with a different request (order " + standing.orderId() + ")"));
    }
    if (standing.state().equals(IdempotencyKeys.ANSWERED)) {
      return standing.failureCode() != 0
          ? Future.failedFuture(new OrderFailure(standing.failureCode(), standing.failureMessage()))
          : get(standing.orderId()).compose(order -> sync ? Future.succeededFuture(order) : settledOrHealed(order));
    }
    boolean abandoned = standing.state().equals(IdempotencyKeys.OPEN)
        || clock.now() - standing.at() > syncDeadline.toMillis();
    if (!abandoned) {
      return Future.failedFuture(inProgress(standing.orderId()));
    }
    IdempotencyKeys.Claim taken = IdempotencyKeys.Claim.placing(standing.orderId(), standing.fingerprint(), clock.now());
    return idempotencyKeys.replace(idempotencyKey, standing, taken).compose(ours -> !ours
        ? Future.failedFuture(inProgress(standing.orderId()))
        : answered(idempotencyKey, taken, resume(standing.orderId(), request, sync, idempotencyKey, taken)));
  }

  /** An attempt that died left its order somewhere between claimed and settled: carry on from there. */
  private Future<Order> resume(String id, OrderRequest request, boolean sync, String idempotencyKey,
                               IdempotencyKeys.Claim claim) {
    return get(id).transform(ar -> {
      if (ar.succeeded()) {
        return sync ? syncAnswer(ar.result()) : settledOrHealed(ar.result());
      }
      return ar.cause() instanceof OrderFailure f && f.code() == OrderContract.ORDER_NOT_FOUND
          ? placeNew(id, request, sync, idempotencyKey, claim)
          : Future.failedFuture(ar.cause());
    });
  }

  /**
   * An async order found again: if anything is still to happen to it, its {@code OrderCreated} may never
   * have been stored whole (a publish that failed half-way), so publish it again; every handler is
   * idempotent, so an event that did arrive changes nothing.
   */
  /**
   * The order may be stored with its event published to some groups only: publish again in the background
   * until it lands or the order is settled, and tell the client so.
   */
  private Future<Order> publishIncomplete(Order order, Throwable failure) {
    String id = order.id();
    boolean healing = healer.heal(id,
        () -> HazelcastCalls.on(orders.getAsync(id), vertx.getOrCreateContext())
            .map(stored -> stored != null && !stored.order().isSettled()),
        () -> delivery.publish(OrderEvents.ORDER_CREATED, id, orderCreated(order)));
    return Future.failedFuture(new OrderFailure(OrderContract.PUBLISH_INCOMPLETE, "order " + id + " may be stored with"
        + " its events not yet delivered to every service (" + failure.getClass().getSimpleName() + ")"
        + (healing ? "; they are published again in the background" : "")
        + ": retry with the same Idempotency-Key, or GET /orders/" + id, true));
  }

  private Future<Order> settledOrHealed(Order order) {
    return order.isSettled() || order.mode() == OrderMode.SYNC ? Future.succeededFuture(order)
        : delivery.publish(OrderEvents.ORDER_CREATED, order.id(), orderCreated(order)).map(order);
  }

  /**
   * Records how the first attempt under a key ended, so that every retry answers the same, then answers. An
   * answer that said the outcome is not known yet is not repeated: a retry answers the outcome once known.
   */
  private Future<Order> answered(String idempotencyKey, IdempotencyKeys.Claim claim, Future<Order> outcome) {
    return outcome.transform(ar -> {
      IdempotencyKeys.Claim next;
      if (ar.succeeded()) {
        next = claim.with(IdempotencyKeys.ANSWERED, 0, null, clock.now());
      } else if (ar.cause() instanceof OrderFailure f
          && (f.code() == OrderContract.BACKLOG_FULL || f.code() == OrderContract.REQUEST_EXPIRED)) {
        // Nothing was placed and the key is free again: a retry starts over.
        return Future.failedFuture(ar.cause());
      } else if (ar.cause() instanceof OrderFailure f && f.code() != OrderContract.REQUEST_IN_PROGRESS
          && !f.settledLater()) {
        next = claim.with(IdempotencyKeys.ANSWERED, f.code(), f.getMessage(), clock.now());
      } else {
        next = claim.with(IdempotencyKeys.OPEN, 0, null, clock.now());
      }
      return idempotencyKeys.replace(idempotencyKey, claim, next).transform(x -> ar.succeeded()
          ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()));
    });
  }

  /** A failed sync order's failure, naming the order: it is stored, FAILED, for the client to look at. */
  private static OrderFailure naming(String orderId, OrderFailure failure) {
    return failure.withMessage(failure.getMessage() + " (order " + orderId + " FAILED)", false);
  }

  private static OrderFailure inProgress(String orderId) {
    return new OrderFailure(OrderContract.REQUEST_IN_PROGRESS, "a request with this Idempotency-Key is still placing order "
        + orderId, 1);
  }

  static String fingerprint(OrderRequest request, boolean sync) {
    String canonical = (sync ? "sync" : "async") + "|" + request.customerEmail() + "|" + request.items();
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static SendEmail confirmation(Order order) {
    return EmailContract.orderConfirmation(order.id(), order.customerEmail(), order.items());
  }

  /** Remembers a stock level inventory announced. */
  public void onStockLevel(StockLevel level) {
    levels.put(level.sku(), level.available());
  }

  /**
   * Refuses unknown SKUs, and on the async path a quantity above the last known level (409 at once rather
   * than a certain REJECTED later). Levels are a cache: the reservation stays the authority. If inventory
   * cannot be asked, the order is accepted and inventory decides when it handles it.
   */
  private Future<Void> checkAgainstCatalog(OrderRequest request, boolean checkLevels) {
    Map<String, Integer> wanted = new TreeMap<>();
    request.items().forEach(line -> wanted.merge(line.sku(), line.quantity(), Integer::sum));
    Future<Boolean> known = levels.keySet().containsAll(wanted.keySet())
        ? Future.succeededFuture(true)
        : inventory.catalog(wanted.keySet())
            .map(catalog -> {
              levels.putAll(catalog.levels());
              return true;
            })
            .otherwise(false);
    return known.compose(refreshed -> {
      if (!refreshed) {
        return Future.succeededFuture();
      }
      for (Map.Entry<String, Integer> line : wanted.entrySet()) {
        Integer available = levels.get(line.getKey());
        if (available == null) {
          return Future.failedFuture(new OrderFailure(OrderContract.UNKNOWN_SKU, "unknown SKU '" + line.getKey() + "'"));
        }
        if (checkLevels && available < line.getValue()) {
          return Future.failedFuture(new OrderFailure(OrderContract.OUT_OF_STOCK,
              "not enough stock of '" + line.getKey() + "': " + line.getValue() + " wanted, " + available + " available"));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Order newOrder(String id, OrderRequest request, OrderMode mode) {
    long now = clock.now();
    return new Order(id, request.customerEmail(), request.items(), mode, OrderStatus.ACCEPTED, null, EmailStatus.PENDING, now,
        List.of(new Order.TimelineEntry(OrderStatus.ACCEPTED.name(), node, now, "accepted")), Trace.current());
  }

  /** Stores a new order; answers the order stored under its id before, if any (then nothing is stored). */
  private Future<Order> storeIfAbsent(Order order) {
    return HazelcastCalls.on(orders.submitToKey(order.id(), new StoreOrderIfAbsent(new StoredOrder(order))),
        vertx.getOrCreateContext())
        .map(existing -> {
          if (existing == null) {
            announce(order);
            return null;
          }
          return existing.order();
        });
  }

  /** The order after the change, or null if there is none. */
  private Future<Order> apply(String id, OrderUpdate update) {
    return HazelcastCalls.on(orders.submitToKey(id, update), vertx.getOrCreateContext())
        .map(updated -> {
          if (updated == null) {
            return null;
          }
          announce(updated.order());
          return updated.order();
        });
  }

  /** Tells live views; a repeated change (a redelivered event) is announced again, and views skip it. */
  private void announce(Order order) {
    vertx.eventBus().publish(OrderContract.STATUS, order.toJson().encode(), Trace.options());
  }

  private Order.TimelineEntry entry(String event, String key) {
    return new Order.TimelineEntry(event, node, clock.now(), key);
  }

  private Order.TimelineEntry entry(OrderStatus status, String key) {
    return entry(status.name(), key);
  }

  private static JsonObject orderCreated(Order order) {
    return new OrderCreated(order.id(), order.customerEmail(), order.items()).toJson();
  }
}
