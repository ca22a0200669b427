package io.orderbus.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM that a command (or a test) started, usually one of this jar ({@link JvmCommand}): its output teed to a log
 * file and to a line listener, its readiness the node's {@code ORDERBUS READY node=... http=...} line (never a
 * sleep), and ended by pid: {@link #stop} sends SIGTERM and kills after a grace period, {@link #kill} SIGKILLs.
 * A JVM that does not become ready is killed before {@link #awaitReady} fails, so no failure path leaves one running.
 */
public final class ChildJvm {
  private static final Pattern READY = Pattern.compile(Pattern.quote(Node.READY_LINE) + " node=(\\S+) http=(\\S+)");

  private final String name;
  private final Process process;
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts describing a JVM called {@code name} (in its log and in errors). */
  public static Launch named(String name) {
    return new Launch(name);
  }

  /** What to start and where its output goes. */
  public static final class Launch {
    private final String name;
    private List<String> command;
    private final Map<String, String> env = new HashMap<>();
    private LongFunction<Path> log;
    private Consumer<String> lines = line -> { };

    private Launch(String name) {
      this.name = name;
    }

    public Launch command(JvmCommand command) {
      return command(command.toList());
    }

    /** Any command line (e.g. the container image's entrypoint). */
    public Launch command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    /** Environment variables on top of this JVM's (secrets go here, never on a command line {@code ps} shows). */
    public Launch env(Map<String, String> env) {
      this.env.putAll(env);
      return this;
    }

    /** Appends every line of output to {@code log} (a restarted node's log continues the old one). */
    public Launch log(Path log) {
      return log(pid -> log);
    }

    /** Appends every line of output to the file named after the started process's pid. */
    public Launch log(LongFunction<Path> log) {
      this.log = log;
      return this;
    }

    /** Receives every line of output, on the thread that reads it. */
    public Launch onLine(Consumer<String> lines) {
      this.lines = lines;
      return this;
    }

    /** Starts it; its readiness is {@link ChildJvm#ready()}. */
    public ChildJvm start() throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      ChildJvm child = new ChildJvm(name, builder.start());
      Path file = log == null ? null : log.apply(child.pid());
      PrintWriter out = null;
      if (file != null) {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND), true);
        out.println("---- " + name + " started, pid " + child.pid() + ": " + String.join(" ", command));
      }
      child.follow(out, file, lines);
      return child;
    }
  }

  private void follow(PrintWriter log, Path file, Consumer<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (log != null) {
            log.println(line);
          }
          lines.accept(line);
          Matcher m = READY.matcher(line);
          if (m.find()) {
            ready.complete(m.group(2).equals("-") ? -1 : Integer.parseInt(m.group(2)));
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // The JVM is gone (or a listener failed): what it exited with is reported below.
      } finally {
        if (log != null) {
          log.close();
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"
            + (file == null ? "" : "; see " + file)));
      }
      exited.complete(exitCode());
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Output ends a moment before the process does; -1 if it has not ended by then. */
  private int exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Completes with its HTTP port (-1 for none) on its READY line; fails if it exits first. */
  public CompletableFuture<Integer> ready() {
    return ready;
  }

  /** Completes with its exit status once its output has ended (-1 if the process outlived that by 10 s). */
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  /**
   * Waits for its READY line; returns its HTTP port (-1 for none). If it exits first or is not ready in time, it is
   * killed and the failure thrown.
   */
  public int awaitReady(Duration timeout) throws Exception {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill();
      throw new IllegalStateException(name + " was not ready within " + timeout, e);
    } catch (ExecutionException e) {
      kill();
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  public String name() {
    return name;
  }

  /** Its operating-system process id (for its CPU time, a signal, or jcmd). */
  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, without waiting: the JVM runs its shutdown hooks (a node leaves its cluster cleanly). */
  public void terminate() {
    process.destroy();
  }

  /** SIGTERM, then SIGKILL if it has not ended within {@code grace}; returns once it is gone. */
  public void stop(Duration grace) throws InterruptedException {
    terminate();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  /**
   * SIGKILL to it and whatever it started, and wait for it to be gone (a stopped JVM too: SIGKILL is the one signal
   * it cannot hold).
   */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
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
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " (" + name + ") failed");
    }
  }

  /**
   * Runs {@code jcmd <pid> <command>} of this JVM's Java ({@code GC.run}, {@code Thread.print}), its output into
   * {@code output} or, if null, this JVM's; returns whether it ended well within {@code timeout} (false if this
   * Java has no jcmd, as a bare runtime image may not).
   */
  public boolean jcmd(Path output, Duration timeout, String... command) throws IOException, InterruptedException {
    Path jcmdPath = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmdPath)) {
      return false;
    }
    List<String> line = new java.util.ArrayList<>(List.of(jcmdPath.toString(), String.valueOf(pid())));
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    if (output == null) {
      builder.inheritIO();
    } else {
      builder.redirectOutput(output.toFile());
    }
    Process jcmd = builder.start();
    return jcmd.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) && jcmd.exitValue() == 0;
  }
}
