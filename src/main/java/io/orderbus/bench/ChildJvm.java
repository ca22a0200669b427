package io.orderbus.bench;

import io.orderbus.node.Cli;
import io.orderbus.node.Node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of this jar that a benchmark starts (it exits with the benchmark), waited for by its READY line.
 * Only its warnings and errors are shown, prefixed with its name, so that they do not drown the figures.
 */
final class ChildJvm {
  private final String name;
  private final Process process;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code java -jar orderbus.jar <args>} and waits until it is ready. */
  static ChildJvm start(String name, String heap, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(Cli.javaCommand(heap));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(Node.READY_LINE)) {
            ready.complete(null);
          } else if (line.contains("WARN") || line.contains("SEVE") || line.contains("Exception")) {
            System.out.println("[" + name + "] " + line);
          }
        }
      } catch (Exception ignored) {
        // The JVM is gone.
      }
      ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    ChildJvm child = new ChildJvm(name, process);
    try {
      ready.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      child.kill();
      throw e;
    }
    return child;
  }

  String name() {
    return name;
  }

  /** Its operating-system process id (for its CPU time). */
  long pid() {
    return process.pid();
  }

  /** SIGKILL, and wait for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (SIGKILL after 20 s). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
