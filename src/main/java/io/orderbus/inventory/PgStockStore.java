package io.orderbus.inventory;

import io.orderbus.events.Line;

import io.orderbus.inventory.InventoryContract.Reservation;
import io.orderbus.inventory.InventoryContract.ReservationState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stock in PostgreSQL (vertx-pg-client), the production option: the stock outlives the cluster, and any
 * number of inventory nodes share it. Two tables, created if missing:
 * {@code stock(sku, available >= 0)} and {@code reservations(order_id, outcome)}.
 *
 * <p>A reservation is one transaction: it claims the order's row (a second attempt for the same order
 * waits on it, then answers the first outcome), locks the SKUs' rows in SKU order ({@code FOR UPDATE}, so
 * two orders never wait on each other in a cycle), then takes every line
 * ({@code UPDATE ... SET available = available - $n WHERE ... AND available >= $n}) or none, and records
 * the outcome. The {@code CHECK} on {@code available} is the last line of defence against overselling.
 */
public final class PgStockStore implements StockStore {
  /** Where the database is: a {@code postgresql://user:password@host:port/database} URI, and the pool size per node. */
  public record Settings(String uri, int poolSize) {
  }

  private static final long SCHEMA_LOCK = 0x6f72646572627573L;

  private final Pool pool;
  private final String node;
  private Future<Void> schema;

  PgStockStore(Vertx vertx, Settings settings, String node) {
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.poolSize()))
        .connectingTo(PgConnectOptions.fromUri(settings.uri()))
        .using(vertx)
        .build();
    this.node = node;
  }

  @Override
  public Future<Void> seed(Map<String, Integer> demo) {
    List<Tuple> rows = new ArrayList<>();
    new TreeMap<>(demo).forEach((sku, available) -> rows.add(Tuple.of(sku, available)));
    return ready().compose(v -> pool.preparedQuery("INSERT INTO stock (sku, available) VALUES ($1, $2) ON CONFLICT (sku) DO NOTHING")
        .executeBatch(rows)).mapEmpty();
  }

  @Override
  public Future<Integer> available(String sku) {
    return ready().compose(v -> pool.preparedQuery("SELECT available FROM stock WHERE sku = $1").execute(Tuple.of(sku)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  @Override
  public Future<Void> set(String sku, int available) {
    return ready().compose(v -> pool.preparedQuery("INSERT INTO stock (sku, available) VALUES ($1, $2) "
        + "ON CONFLICT (sku) DO UPDATE SET available = excluded.available").execute(Tuple.of(sku, available))).mapEmpty();
  }

  @Override
  public Future<Map<String, Integer>> levels(Set<String> skus) {
    return ready().compose(v -> skus == null
            ? pool.query("SELECT sku, available FROM stock").execute()
            : pool.preparedQuery("SELECT sku, available FROM stock WHERE sku = ANY($1)")
                .execute(Tuple.tuple().addArrayOfString(skus.toArray(new String[0]))))
        .map(rows -> {
          Map<String, Integer> levels = new TreeMap<>();
          rows.forEach(row -> levels.put(row.getString("sku"), row.getInteger("available")));
          return levels;
        });
  }

  @Override
  public Future<StockChange> reserve(String orderId, List<Line> lines) {
    Map<String, Integer> wanted = StockStore.wanted(lines);
    return ready().compose(v -> pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO reservations (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING")
        .execute(Tuple.of(orderId))
        .compose(claimed -> claimed.rowCount() == 0
            ? recorded(conn, orderId).map(prior -> new StockChange(prior, Map.of()))
            : take(conn, orderId, lines, wanted))));
  }

  @Override
  public Future<StockChange> release(String orderId) {
    Reservation nothing = new Reservation(orderId, ReservationState.RELEASED, List.of(), null, null, node);
    return ready().compose(v -> pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO reservations (order_id, outcome) VALUES ($1, $2) ON CONFLICT (order_id) DO NOTHING")
        .execute(Tuple.of(orderId, nothing.toJson().encode()))
        .compose(inserted -> inserted.rowCount() == 1
            // Released before it was ever reserved: the reservation, if it comes, does nothing.
            ? Future.succeededFuture(new StockChange(nothing, Map.of()))
            : recorded(conn, orderId).compose(prior -> prior.reserved()
                ? giveBack(conn, orderId, prior)
                : Future.succeededFuture(new StockChange(prior, Map.of()))))));
  }

  private Future<StockChange> take(SqlConnection conn, String orderId, List<Line> lines, Map<String, Integer> wanted) {
    return conn.preparedQuery("SELECT sku, available FROM stock WHERE sku = ANY($1) ORDER BY sku FOR UPDATE")
        .execute(Tuple.tuple().addArrayOfString(wanted.keySet().toArray(new String[0])))
        .compose(rows -> {
          Map<String, Integer> current = new HashMap<>();
          rows.forEach(row -> current.put(row.getString("sku"), row.getInteger("available")));
          for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            Integer available = current.get(line.getKey());
            if (available == null || available < line.getValue()) {
              Reservation rejected = new Reservation(orderId, ReservationState.REJECTED, lines,
                  available == null ? "UNKNOWN_SKU" : "OUT_OF_STOCK", line.getKey(), node);
              return record(conn, rejected).map(new StockChange(rejected, Map.of()));
            }
          }
          Map<String, Integer> after = new TreeMap<>();
          Future<Void> taken = Future.succeededFuture();
          for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            taken = taken.compose(x -> conn.preparedQuery(
                    "UPDATE stock SET available = available - $2 WHERE sku = $1 AND available >= $2 RETURNING available")
                .execute(Tuple.of(line.getKey(), line.getValue()))
                .compose(updated -> {
                  if (updated.rowCount() != 1) {
                    // Cannot happen under the row lock; failing rolls the whole reservation back.
                    return Future.failedFuture(new IllegalStateException("stock of " + line.getKey() + " changed under its lock"));
                  }
                  after.put(line.getKey(), updated.iterator().next().getInteger(0));
                  return Future.succeededFuture();
                }));
          }
          Reservation reserved = new Reservation(orderId, ReservationState.RESERVED, lines, null, null, node);
          return taken.compose(x -> record(conn, reserved)).map(x -> new StockChange(reserved, after));
        });
  }

  private Future<StockChange> giveBack(SqlConnection conn, String orderId, Reservation prior) {
    Map<String, Integer> after = new TreeMap<>();
    Future<Void> given = Future.succeededFuture();
    for (Map.Entry<String, Integer> line : StockStore.wanted(prior.lines()).entrySet()) {
      given = given.compose(x -> conn.preparedQuery("UPDATE stock SET available = available + $2 WHERE sku = $1 RETURNING available")
          .execute(Tuple.of(line.getKey(), line.getValue()))
          .map(updated -> {
            updated.forEach(row -> after.put(line.getKey(), row.getInteger(0)));
            return null;
          }));
    }
    Reservation released = new Reservation(orderId, ReservationState.RELEASED, prior.lines(), null, null, node);
    return given.compose(x -> record(conn, released)).map(x -> new StockChange(released, after));
  }

  /** The order's recorded outcome; its row is locked until the transaction ends. */
  private Future<Reservation> recorded(SqlConnection conn, String orderId) {
    return conn.preparedQuery("SELECT outcome FROM reservations WHERE order_id = $1 FOR UPDATE").execute(Tuple.of(orderId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return Reservation.fromJson(new JsonObject(row.getString("outcome")));
        });
  }

  private Future<Void> record(SqlConnection conn, Reservation outcome) {
    return conn.preparedQuery("UPDATE reservations SET outcome = $2 WHERE order_id = $1")
        .execute(Tuple.of(outcome.orderId(), outcome.toJson().encode())).mapEmpty();
  }

  /** Creates the tables once per node; nodes starting together take turns (an advisory lock). */
  private synchronized Future<Void> ready() {
    if (schema == null || schema.failed()) {
      schema = pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SCHEMA_LOCK))
          .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS stock (sku text PRIMARY KEY, "
              + "available integer NOT NULL CHECK (available >= 0))").execute())
          .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS reservations (order_id text PRIMARY KEY, outcome text)")
              .execute())).mapEmpty();
    }
    return schema;
  }
}
