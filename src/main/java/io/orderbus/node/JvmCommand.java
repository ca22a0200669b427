package io.orderbus.node;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of a JVM of this jar ({@code java -Xmx<heap> <options> -jar orderbus.jar <args>}), the one place
 * that knows what every such JVM needs: the {@code java} of this JVM, the common-pool parallelism Hazelcast needs,
 * and (unless {@link #withoutParent()}) this JVM as its parent, so that it exits when this one is gone (see
 * {@link Cli#exitWithParent}). Started by {@link ChildJvm}.
 */
public final class JvmCommand {
  /**
   * With one core's worth of parallelism, CompletableFuture (and so Hazelcast's async callbacks) falls back to a
   * new thread per task; every JVM of this jar runs with at least 2.
   */
  public static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * The JVM's performance-data file (what jps and jstat read) is updated by a thread that wakes every 50 ms:
   * a quarter of an idle node's CPU apart from Hazelcast (measured 0.26 % of a core per JVM). jcmd by pid works
   * without it.
   */
  static final String NO_PERF_DATA = "-XX:-UsePerfData";

  private final Path jar;
  private String heap;
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private boolean followParent = true;

  private JvmCommand(Path jar) {
    this.jar = jar;
  }

  /** A JVM of the jar this class was loaded from (the running {@code orderbus.jar}). */
  public static JvmCommand ofThisJar() {
    try {
      return of(new File(JvmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toPath());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the location of this jar is not a path", e);
    }
  }

  /** A JVM of {@code jar} (the tests' built jar). */
  public static JvmCommand of(Path jar) {
    return new JvmCommand(jar);
  }

  /** Its maximum heap, as {@code -Xmx} takes it ({@code 384m}). */
  public JvmCommand heap(String heap) {
    this.heap = heap;
    return this;
  }

  /** More options for the JVM (before {@code -jar}). */
  public JvmCommand jvmOptions(String... options) {
    jvmOptions.addAll(Arrays.asList(options));
    return this;
  }

  /** The arguments of {@code orderbus.jar} (a command and its flags). */
  public JvmCommand args(List<String> args) {
    this.args.addAll(args);
    return this;
  }

  /** A JVM that outlives this one (the tests' JVMs, which their teardown ends by pid). */
  public JvmCommand withoutParent() {
    followParent = false;
    return this;
  }

  public List<String> toList() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (heap != null) {
      command.add("-Xmx" + heap);
    }
    command.add(NO_PERF_DATA);
    command.addAll(jvmOptions);
    command.add("-D" + COMMON_POOL_PARALLELISM + "=2");
    if (followParent) {
      command.add("-D" + Cli.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }
}
