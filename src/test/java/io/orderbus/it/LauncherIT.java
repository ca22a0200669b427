package io.orderbus.it;

import io.orderbus.support.NodeProcess;
import io.orderbus.support.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The main job, {@code orderbus cluster}: separate JVMs up, and none left behind however it ends. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LauncherIT {
  private static final Duration UP = Duration.ofSeconds(150);
  private static final Duration DOWN = Duration.ofSeconds(30);

  @Test
  void sigtermStopsEveryNode() throws Exception {
    int port = Ports.free();
    try (NodeProcess launcher = NodeProcess.start("launcher-term", List.of("cluster", "--nodes", "2", "--http-port", String.valueOf(port)))) {
      launcher.awaitLine("gateway at http://127.0.0.1:" + port, UP);
      List<ProcessHandle> children = launcher.process().children().toList();
      assertThat(children).hasSize(2);
      assertThat(get("http://127.0.0.1:" + port + "/ready")).isEqualTo(200);

      launcher.terminate(DOWN);
      for (ProcessHandle child : children) {
        assertThat(child.onExit().get(DOWN.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
      }
    }
  }

  @Test
  void childrenStopThemselvesWhenTheLauncherIsKilled() throws Exception {
    int port = Ports.free();
    try (NodeProcess launcher = NodeProcess.start("launcher-kill", List.of("cluster", "--nodes", "2", "--http-port", String.valueOf(port)))) {
      launcher.awaitLine("gateway at", UP);
      List<ProcessHandle> children = launcher.process().children().toList();
      assertThat(children).hasSize(2);
      launcher.process().destroyForcibly().waitFor(DOWN.toSeconds(), TimeUnit.SECONDS);
      try {
        for (ProcessHandle child : children) {
          assertThat(child.onExit().get(DOWN.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
        }
      } finally {
        children.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void aNodeThatCannotStartStopsTheOthersAndFailsTheLauncher() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
         NodeProcess launcher = NodeProcess.start("launcher-fail",
             List.of("cluster", "--nodes", "2", "--http-port", String.valueOf(taken.getLocalPort())))) {
      assertThat(launcher.process().waitFor(UP.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(launcher.process().exitValue()).isNotZero();
      assertThat(launcher.output()).anyMatch(line -> line.contains("not every node became ready"));
      assertThat(launcher.process().descendants().filter(ProcessHandle::isAlive).count()).isZero();
    }
  }

  /**
   * The launcher supervises: a node that exits because it stayed cut off from the majority (status 3) is started
   * again. The two others are killed, so the first is left alone below the majority of three.
   */
  @Test
  void aNodeThatLeftBecauseItWasCutOffIsStartedAgain() throws Exception {
    int port = Ports.free();
    try (NodeProcess launcher = NodeProcess.start("launcher-cutoff", List.of("cluster", "--nodes", "3",
        "--http-port", String.valueOf(port), "--minority-timeout", "PT5S"))) {
      launcher.awaitLine("gateway at http://127.0.0.1:" + port, UP);
      List<ProcessHandle> children = launcher.process().children().toList();
      assertThat(children).hasSize(3);
      ProcessHandle first = children.stream().filter(c -> c.info().commandLine().orElse("").contains("n1-")).findFirst()
          .orElseThrow();
      children.stream().filter(c -> c != first).forEach(ProcessHandle::destroyForcibly);

      launcher.awaitLine("[n1-gateway+order] exited (3)", Duration.ofSeconds(90));
      launcher.awaitLine("[n1-gateway+order] left after being cut off from the others: starting it again", DOWN);
      assertThat(first.isAlive()).isFalse();
      assertThat(launcher.process().children().filter(c -> c.info().commandLine().orElse("").contains("n1-")))
          .as("n1 started again").hasSize(1);
      List<ProcessHandle> left = launcher.process().descendants().toList();
      launcher.terminate(DOWN);
      for (ProcessHandle child : left) {
        assertThat(child.onExit().get(DOWN.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
      }
    }
  }

  private static int get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
