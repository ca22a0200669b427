package io.orderbus.node;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets come from files as well as flags and the environment; the default admin token stays on loopback. */
class SecretsAndTokenTest {
  @Test
  void aSecretIsReadFromAFileGivenByFlagOrEnvironment(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
    Path password = Files.writeString(dir.resolve("smtp"), "pa55\n");
    NodeConfig config = NodeConfig.load(List.of("--admin-token-file", token.toString()),
        Map.of("ORDERBUS_SMTP_PASSWORD_FILE", password.toString()));
    assertThat(config.string("adminToken")).isEqualTo("s3cret-token");
    assertThat(config.string("smtpPassword")).isEqualTo("pa55");
    assertThat(config.settings().security().adminToken()).isEqualTo("s3cret-token");
    assertThat(config.settings().mailer().smtpPassword()).isEqualTo("pa55");
  }

  @Test
  void aSecretFileNamedInTheConfigFileReachesTheTypedSettings(@TempDir Path dir) throws Exception {
    Path uri = Files.writeString(dir.resolve("pg"), "postgresql://u:p@db:5432/orderbus\n");
    Path file = Files.writeString(dir.resolve("orderbus.json"),
        new JsonObject().put("stockStore", "postgres").put("pgUriFile", uri.toString()).encode());
    Settings settings = NodeConfig.load(List.of("--config", file.toString()), Map.of()).settings();
    assertThat(settings.stock().kind()).isEqualTo(StockStoreKind.POSTGRES);
    assertThat(settings.stock().postgres().uri()).isEqualTo("postgresql://u:p@db:5432/orderbus");
  }

  @Test
  void anUnreadableSecretFileIsRefusedWithoutItsContent(@TempDir Path dir) {
    assertThatThrownBy(() -> NodeConfig.load(List.of("--admin-token-file", dir.resolve("missing").toString()), Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("adminToken")
        .hasMessageContaining("missing");
  }

  @Test
  void theDefaultOrAnEmptyTokenOnlyOnLoopback() {
    NodeConfig loopback = NodeConfig.defaultsOnly().with("roles", "gateway,order");
    assertThatCode(() -> AdminTokenPolicy.check(loopback.settings())).doesNotThrowAnyException();

    NodeConfig exposed = loopback.with("httpHost", "0.0.0.0");
    assertThatThrownBy(() -> AdminTokenPolicy.check(exposed.settings()))
        .isInstanceOf(NodeConfig.InvalidConfigException.class).hasMessageContaining("httpHost 0.0.0.0")
        .hasMessageNotContaining("change-me");
    assertThatThrownBy(() -> AdminTokenPolicy.check(exposed.with("adminToken", "").settings()))
        .hasMessageContaining("empty token");
    assertThatThrownBy(() -> AdminTokenPolicy.check(loopback.with("clusterHost", "0.0.0.0").settings()))
        .hasMessageContaining("clusterHost 0.0.0.0");

    assertThatCode(() -> AdminTokenPolicy.check(exposed.with("adminToken", "a-real-secret").settings()))
        .doesNotThrowAnyException();
    assertThatCode(() -> AdminTokenPolicy.check(exposed.with("roles", "inventory").settings()))
        .as("no gateway, no operator API to guard").doesNotThrowAnyException();
  }
}
