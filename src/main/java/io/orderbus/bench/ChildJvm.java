package io.orderbus.bench;

import io.orderbus.node.Cli;
import io.orderbus.node.Node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of this jar that a command starts (it exits with the command: see {@link Cli#javaCommand}), waited
 * for by its READY line. Without a log file only its warnings and errors are shown, prefixed with its name,
 * so that they do not drown a benchmark's figures; with one, every line goes there and nothing is shown.
 */
public final class ChildJvm {
  private final String name;
  private final Process process;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code java -jar orderbus.jar <args>} and waits until it is ready. */
  public static ChildJvm start(String name, String heap, List<String> args) throws Exception {
    return start(name, heap, args, null);
  }

  /**
   * Starts {@code java -jar orderbus.jar <args>} and waits until it is ready; {@code log}, if not null,
   * receives all its output (appended: a restarted node's log continues the old one).
   */
  public static ChildJvm start(String name, String heap, List<String> args, Path log) throws Exception {
    List<String> command = new ArrayList<>(Cli.javaCommand(heap));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           PrintWriter out = log == null ? null : new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
               StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
        if (out != null) {
          out.println("---- " + name + " started, pid " + process.pid() + ": " + String.join(" ", args));
        }
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(Node.READY_LINE)) {
            ready.complete(null);
          }
          if (out != null) {
            out.println(line);
          } else if (line.contains("WARN") || line.contains("SEVE") || line.contains("Exception")) {
            System.out.println("[" + name + "] " + line);
          }
        }
      } catch (Exception ignored) {
        // The JVM is gone.
      }
      ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"
          + (log == null ? "" : "; see " + log)));
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

  public String name() {
    return name;
  }

  /** Its operating-system process id (for its CPU time, or a signal). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait for it to be gone (a stopped JVM too: SIGKILL is the one signal it cannot hold). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (SIGKILL after 20 s). */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** SIGSTOP: the JVM stands still, as in a long GC pause or behind a cut network, until {@link #resume()}. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
    }
  }
}
