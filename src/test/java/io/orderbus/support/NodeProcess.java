package io.orderbus.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One separate JVM running the built jar. Its output goes to {@code target/it-logs/<name>.log}; readiness
 * is the node's READY line, never a sleep. {@link #close()} kills it, so a failed test leaks nothing.
 */
public final class NodeProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("ORDERBUS READY node=(\\S+) http=(\\S+)");

  private final String name;
  private final Process process;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final List<String> lines = new ArrayList<>();

  private NodeProcess(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    Files.createDirectories(log.getParent());
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          out.println(line);
          synchronized (lines) {
            lines.add(line);
          }
          Matcher m = READY.matcher(line);
          if (m.find()) {
            ready.complete(m.group(2).equals("-") ? -1 : Integer.parseInt(m.group(2)));
          }
        }
      } catch (IOException ignored) {
        // Process gone.
      } finally {
        out.close();
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see " + log));
      }
    }, "it-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("orderbus.jar", "target/orderbus.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (failsafe runs after it)");
    }
    return jar;
  }

  /** Starts {@code java -jar orderbus.jar <args>} with a modest heap. */
  public static NodeProcess start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
        "-jar", jar().toString()));
    command.addAll(args);
    return startCommand(name, command, java.util.Map.of());
  }

  /** Starts any command line (e.g. the image's entrypoint) with extra environment variables. */
  public static NodeProcess startCommand(String name, List<String> command, java.util.Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    return new NodeProcess(name, process, Path.of("target", "it-logs", name + "-" + process.pid() + ".log"));
  }

  /** Waits for the READY line; returns the HTTP port, or -1 for a node without gateway. */
  public int awaitReady(Duration timeout) throws Exception {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(name + " not ready within " + timeout + "; last lines: " + tail(20));
    }
  }

  /** Waits until a line of output contains {@code text}. */
  public void awaitLine(String text, Duration timeout) {
    Eventually.until(timeout, "'" + text + "' from " + name, () -> output().stream().anyMatch(l -> l.contains(text)));
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the JVM stands still, as in a long GC pause or behind a cut network; {@link #resume()} ends it. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM: the node leaves the cluster cleanly. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not stop within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  public List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public String tail(int count) {
    List<String> all = output();
    return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    // A paused JVM ignores nothing but SIGKILL, which destroyForcibly sends.
    if (process.isAlive()) {
      kill();
    }
  }
}
