package io.orderbus.node;

import io.orderbus.inventory.PgStockStore;

/**
 * Where the inventory keeps its stock, and the database when that is PostgreSQL. {@code pgUri} holds a password:
 * it is left out of {@link #toString()}.
 *
 * @param pgPoolSize connections per inventory node
 */
public record StockStoreSettings(StockStoreKind kind, String pgUri, int pgPoolSize) {

  static StockStoreSettings read(SettingsReader in) {
    return new StockStoreSettings(in.oneOf("stockStore", StockStoreKind.class), in.text("pgUri"),
        in.number("pgPoolSize"));
  }

  /** The database as the PostgreSQL stock store takes it. */
  public PgStockStore.Settings postgres() {
    return new PgStockStore.Settings(pgUri, pgPoolSize);
  }

  @Override
  public String toString() {
    return "StockStoreSettings[kind=" + kind + ", pgUri=(secret), pgPoolSize=" + pgPoolSize + "]";
  }
}
