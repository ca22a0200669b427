package io.orderbus.cli;

import io.orderbus.node.JvmCommand;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.logging.LogManager;

/**
 * The entry point: the JVM-wide settings every command needs, then the command line ({@link OrderbusCommand}):
 * {@code cluster} (the default) starts a local cluster of separate JVMs, {@code node} starts one node,
 * {@code bench} measures, {@code chaos} checks what faults cost.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    // Before anything touches the common pool: with one core's worth of parallelism, CompletableFuture
    // (and so Hazelcast's async callbacks) falls back to a new thread per task.
    if (System.getProperty(JvmCommand.COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(JvmCommand.COMMON_POOL_PARALLELISM,
          String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    System.setProperty("hazelcast.logging.type", "jdk");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    configureLogging();

    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(OrderbusCommand.commandLine(out, err).execute(args));
  }

  private static void configureLogging() throws Exception {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Main.class.getClassLoader().getResourceAsStream("orderbus-logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    }
  }
}
