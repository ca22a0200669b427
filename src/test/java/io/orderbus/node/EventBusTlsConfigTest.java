package io.orderbus.node;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Event-bus TLS is all or nothing, and a file that cannot be read stops the node before it joins. */
class EventBusTlsConfigTest {

  @Test
  void withoutFilesTheEventBusIsPlain() {
    EventBusOptions options = new EventBusOptions();
    ClusteredVertx.mutualTls(options, NodeConfig.defaultsOnly().settings().security().eventBusTls());
    assertThat(options.isSsl()).isFalse();
  }

  @Test
  void allThreeFilesMeanMutualTls(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("k.pem"), "k");
    Path cert = Files.writeString(dir.resolve("c.pem"), "c");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    EventBusOptions options = new EventBusOptions();
    ClusteredVertx.mutualTls(options, NodeConfig.defaultsOnly().with("eventBusKeyPath", key.toString())
        .with("eventBusCertPath", cert.toString()).with("eventBusCaPath", ca.toString()).settings().security().eventBusTls());
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
  }

  @Test
  void partOfTheFilesOrAnUnreadableOneIsRefused(@TempDir Path dir) throws Exception {
    String key = Files.writeString(dir.resolve("k.pem"), "k").toString();
    assertThatThrownBy(() -> ClusteredVertx.mutualTls(new EventBusOptions(), new EventBusTls(key, "", "")))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("all three");
    assertThatThrownBy(() -> ClusteredVertx.mutualTls(new EventBusOptions(),
        new EventBusTls(key, dir.resolve("missing.pem").toString(), key)))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("missing.pem");
  }
}
