package io.orderbus.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

/** Small pieces the commands share: taking a flag out of the arguments, a free port, following a parent. */
public final class Cli {
  /** Set on the JVMs a command starts ({@link JvmCommand}): a child whose starter died stops too. */
  public static final String PARENT_PID_PROPERTY = "orderbus.parentPid";

  private Cli() {
  }

  /** Removes {@code flag} and its value from {@code args}; returns the value, or {@code fallback}. */
  public static String take(List<String> args, String flag, String fallback) {
    int at = args.indexOf(flag);
    if (at < 0) {
      return fallback;
    }
    if (at + 1 >= args.size()) {
      throw new NodeConfig.InvalidConfigException(flag + " needs a value");
    }
    String value = args.get(at + 1);
    args.remove(at + 1);
    args.remove(at);
    return value;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Exits this JVM when the process that started it (named by {@link #PARENT_PID_PROPERTY}) is gone. */
  public static void exitWithParent() {
    String parent = System.getProperty(PARENT_PID_PROPERTY);
    if (parent != null) {
      ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
          handle -> handle.onExit().thenRun(() -> System.exit(0)),
          () -> System.exit(0));
    }
  }
}
