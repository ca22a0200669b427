package io.orderbus.node;

import io.orderbus.support.Ports;
import io.orderbus.support.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node listens only on the addresses it is given: Hazelcast, the event bus and HTTP on 127.0.0.1 here,
 * never on every interface (Hazelcast binds 0.0.0.0 unless told not to). Read from the kernel's socket table.
 */
@EnabledOnOs(OS.LINUX)
class BoundSocketsTest {
  private final TestNodes nodes = new TestNodes(1);

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void everyListenerIsOnTheConfiguredInterfaceOnly() throws Exception {
    int eventBusPort = Ports.free();
    Node node = nodes.start(0, "gateway,order,inventory,email", "eventBusPort", eventBusPort);
    int clusterPort = nodes.config(0, "gateway").integer("clusterPort");
    for (int port : List.of(clusterPort, eventBusPort, node.httpPort())) {
      List<String> addresses = listening(port);
      assertThat(addresses).as("listeners on port %d", port).isNotEmpty().allMatch(BoundSocketsTest::isLoopback);
    }
  }

  /** Local addresses (hex, as the kernel writes them) of the sockets listening on {@code port}. */
  private static List<String> listening(int port) throws Exception {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<String> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(":" + hexPort)) {
          out.add(f[1].substring(0, f[1].indexOf(':')));
        }
      }
    }
    return out;
  }

  /** 127.0.0.1 as IPv4 ({@code 0100007F}) or IPv4-mapped IPv6; never 0.0.0.0 or {@code ::}. */
  private static boolean isLoopback(String hex) {
    return hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F");
  }
}
