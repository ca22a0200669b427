package io.orderbus.support;

import io.orderbus.node.ChildJvm;
import io.orderbus.node.JvmCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One separate JVM running the built jar, as the tests start it: {@link ChildJvm} with a small heap and a JIT that
 * starts fast. Its output goes to {@code target/it-logs/<name>-<pid>.log}; readiness is the node's READY line,
 * never a sleep. {@link #close()} kills it, so a failed test leaks nothing.
 */
public final class NodeProcess implements AutoCloseable {
  private final ChildJvm jvm;
  private final List<String> lines = new ArrayList<>();

  private NodeProcess(String name, List<String> command, Map<String, String> env) throws IOException {
    this.jvm = ChildJvm.named(name).command(command).env(env)
        .log(pid -> Path.of("target", "it-logs", name + "-" + pid + ".log"))
        .onLine(line -> {
          synchronized (lines) {
            lines.add(line);
          }
        })
        .start();
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("orderbus.jar", "target/orderbus.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (failsafe runs after it)");
    }
    return jar;
  }

  /** Starts {@code java -jar orderbus.jar <args>} with a modest heap; the test's teardown ends it, not this JVM's exit. */
  public static NodeProcess start(String name, List<String> args) throws IOException {
    return startCommand(name, JvmCommand.of(jar()).heap("256m").jvmOptions("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
        .withoutParent().args(args).toList(), Map.of());
  }

  /** Starts any command line (e.g. the image's entrypoint) with extra environment variables. */
  public static NodeProcess startCommand(String name, List<String> command, Map<String, String> env) throws IOException {
    return new NodeProcess(name, command, env);
  }

  /** Waits for the READY line; returns the HTTP port, or -1 for a node without gateway. */
  public int awaitReady(Duration timeout) throws Exception {
    try {
      return jvm.awaitReady(timeout);
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage() + "; last lines: " + tail(20), e);
    }
  }

  /** Waits until a line of output contains {@code text}. */
  public void awaitLine(String text, Duration timeout) {
    Eventually.until(timeout, "'" + text + "' from " + name(), () -> output().stream().anyMatch(l -> l.contains(text)));
  }

  public long pid() {
    return jvm.pid();
  }

  public Process process() {
    return jvm.process();
  }

  public String name() {
    return jvm.name();
  }

  public boolean isAlive() {
    return jvm.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    jvm.kill();
  }

  /** SIGSTOP: the JVM stands still, as in a long GC pause or behind a cut network; {@link #resume()} ends it. */
  public void pause() throws Exception {
    jvm.pause();
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws Exception {
    jvm.resume();
  }

  /** {@code jcmd <pid> <command>}, its output shown; fails the test if it does not end well within a minute. */
  public void jcmd(String... command) throws Exception {
    if (!jvm.jcmd(null, Duration.ofSeconds(60), command)) {
      throw new AssertionError("jcmd " + pid() + " " + String.join(" ", command) + " failed");
    }
  }

  /** SIGTERM: the node leaves the cluster cleanly. */
  public int terminate(Duration timeout) throws InterruptedException {
    jvm.terminate();
    if (!jvm.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name() + " did not stop within " + timeout + " of SIGTERM");
    }
    return jvm.process().exitValue();
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

  /** Kills it and whatever it started (a paused JVM too: SIGKILL is the one signal it cannot hold). */
  @Override
  public void close() throws InterruptedException {
    if (jvm.isAlive() || jvm.process().descendants().findAny().isPresent()) {
      jvm.kill();
    }
  }
}
