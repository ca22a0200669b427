package io.orderbus.node;

import io.orderbus.node.NodeConfig.InvalidConfigException;
import io.vertx.core.json.JsonObject;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration: defaults, then file, then {@code ORDERBUS_*} environment, then flags; bad settings refused by name. */
class NodeConfigTest {

  @TempDir
  Path dir;

  /** An environment that points the config file nowhere, so that only what the test gives counts. */
  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("ORDERBUS_CONFIG", dir.resolve("absent.json").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Path file(JsonObject content) throws IOException {
    Path file = dir.resolve("node-" + System.nanoTime() + ".json");
    Files.writeString(file, content.encodePrettily());
    return file;
  }

  @Test
  void defaultsLoadWithTheirTypes() {
    NodeConfig config = NodeConfig.load(List.of(), env());
    assertThat(config.integer("httpPort")).isEqualTo(8080);
    assertThat(config.string("clusterName")).isEqualTo("orderbus");
    assertThat(config.list("roles")).containsExactly("gateway", "order", "inventory", "email");
    assertThat(config.list("members")).containsExactly("127.0.0.1:5701");
    assertThat(config.duration("requestTimeout")).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.duration("welcomeDelay")).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.integer("maxAttempts")).isEqualTo(5);
    assertThat(config.duration("deadLetterAfter")).isEqualTo(Duration.ofHours(1));
    assertThat(config.duration("handlerTimeout")).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.string("delivery")).isEqualTo("durable");
    assertThat(config.asJson()).isEqualTo(NodeConfig.defaultsOnly().asJson());
  }

  @Test
  void asJsonIsACopy() {
    NodeConfig config = NodeConfig.defaultsOnly();
    config.asJson().put("httpPort", 1);
    assertThat(config.integer("httpPort")).isEqualTo(8080);
  }

  @Test
  void fileOverridesDefaultsEnvOverridesFileFlagsOverrideEnv() throws IOException {
    Path file = file(new JsonObject()
        .put("httpPort", 9001).put("clusterName", "from-file").put("nodeName", "file-node").put("maxAttempts", 7));
    Map<String, String> env = env("ORDERBUS_HTTP_PORT", "9002", "ORDERBUS_CLUSTER_NAME", "from-env",
        "ORDERBUS_MAX_ATTEMPTS", "8");
    NodeConfig config = NodeConfig.load(List.of("--config", file.toString(), "--http-port", "9003"), env);

    assertThat(config.integer("httpPort")).as("flag beats env and file").isEqualTo(9003);
    assertThat(config.string("clusterName")).as("env beats file").isEqualTo("from-env");
    assertThat(config.integer("maxAttempts")).as("env beats file").isEqualTo(8);
    assertThat(config.string("nodeName")).as("file beats defaults").isEqualTo("file-node");
    assertThat(config.integer("prefetch")).as("untouched default").isEqualTo(NodeConfig.defaultsOnly().integer("prefetch"));
  }

  @Test
  void theConfigFileCanComeFromTheEnvironment() throws IOException {
    Path file = file(new JsonObject().put("clusterName", "env-file"));
    NodeConfig config = NodeConfig.load(List.of(), Map.of("ORDERBUS_CONFIG", file.toString()));
    assertThat(config.string("clusterName")).isEqualTo("env-file");
  }

  @Test
  void theConfigFlagBeatsTheConfigEnvironmentVariable() throws IOException {
    Path fromEnv = file(new JsonObject().put("clusterName", "env-file"));
    Path fromFlag = file(new JsonObject().put("clusterName", "flag-file"));
    NodeConfig config = NodeConfig.load(List.of("--config", fromFlag.toString()),
        Map.of("ORDERBUS_CONFIG", fromEnv.toString()));
    assertThat(config.string("clusterName")).isEqualTo("flag-file");
  }

  @Test
  void kebabFlagsAndUpperSnakeEnvironmentNamesBecomeCamelCase() {
    NodeConfig config = NodeConfig.load(
        List.of("--cluster-public-host", "10.0.0.9", "--retry-backoff-max", "PT1M"),
        env("ORDERBUS_CONSUMER_CONCURRENCY", "4", "ORDERBUS_ADMIN_TOKEN", "s3cret"));
    assertThat(config.string("clusterPublicHost")).isEqualTo("10.0.0.9");
    assertThat(config.duration("retryBackoffMax")).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.integer("consumerConcurrency")).isEqualTo(4);
    assertThat(config.string("adminToken")).isEqualTo("s3cret");
    assertThat(NodeConfig.camel("retry-backoff-max", '-')).isEqualTo("retryBackoffMax");
    assertThat(NodeConfig.camel("event_bus_port", '_')).isEqualTo("eventBusPort");
  }

  @Test
  void environmentVariablesWithoutThePrefixAreIgnored() {
    NodeConfig config = NodeConfig.load(List.of(), env("HTTP_PORT", "1", "PATH", "/usr/bin", "NOPE", "x"));
    assertThat(config.integer("httpPort")).isEqualTo(8080);
  }

  @Test
  void listsComeFromCommaSeparatedText() {
    NodeConfig config = NodeConfig.load(List.of("--roles", "gateway, order,,email "),
        env("ORDERBUS_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701"));
    assertThat(config.list("roles")).containsExactly("gateway", "order", "email");
    assertThat(config.list("members")).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(NodeConfig.defaultsOnly().with("roles", "inventory").list("roles")).containsExactly("inventory");
  }

  @Test
  void listsFromTheFileStayLists() throws IOException {
    Path file = file(new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("email").add("order")));
    NodeConfig config = NodeConfig.load(List.of("--config", file.toString()), env());
    assertThat(config.list("roles")).containsExactly("email", "order");
  }

  @Test
  void flagEqualsValueForm() {
    NodeConfig config = NodeConfig.load(List.of("--http-port=8181", "--cluster-name=eq", "--roles=email,order",
        "--admin-token=a=b"), env());
    assertThat(config.integer("httpPort")).isEqualTo(8181);
    assertThat(config.string("clusterName")).isEqualTo("eq");
    assertThat(config.list("roles")).containsExactly("email", "order");
    assertThat(config.string("adminToken")).as("only the first '=' separates").isEqualTo("a=b");
  }

  @Test
  void valuesAreTrimmedAndConvertedToTheDefaultsType() {
    NodeConfig config = NodeConfig.load(List.of("--http-port", " 8282 "), env("ORDERBUS_MAX_BACKLOG", "42"));
    assertThat(config.asJson().getValue("httpPort")).isEqualTo(8282);
    assertThat(config.asJson().getValue("maxBacklog")).isEqualTo(42);
  }

  @Test
  void validDurationsAreAccepted() {
    NodeConfig config = NodeConfig.load(List.of("--request-timeout", "PT0.5S"), env("ORDERBUS_WELCOME_DELAY", "PT1H"));
    assertThat(config.duration("requestTimeout")).isEqualTo(Duration.ofMillis(500));
    assertThat(config.duration("welcomeDelay")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void badDurationsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> NodeConfig.load(List.of("--request-timeout", "2s"), env()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("requestTimeout").hasMessageContaining("2s").hasMessageContaining("--request-timeout");
    assertThatThrownBy(() -> NodeConfig.load(List.of(), env("ORDERBUS_HANDLER_TIMEOUT", "soon")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("handlerTimeout").hasMessageContaining("ORDERBUS_HANDLER_TIMEOUT");
    assertThatThrownBy(() -> NodeConfig.defaultsOnly().with("welcomeDelay", "5 minutes"))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("welcomeDelay");
  }

  @Test
  void clockSkewIsNoneByDefaultAndMayBeNegative() {
    assertThat(NodeConfig.defaultsOnly().duration("clockSkew")).isZero();
    NodeConfig behind = NodeConfig.load(List.of("--clock-skew", "-PT10S"), env());
    assertThat(behind.duration("clockSkew")).isEqualTo(Duration.ofSeconds(-10));
    // Once negative, a later source is still checked as a duration.
    assertThatThrownBy(() -> NodeConfig.load(List.of("--clock-skew", "10s"), env("ORDERBUS_CLOCK_SKEW", "-PT1S")))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("clockSkew").hasMessageContaining("10s");
  }

  @Test
  void badDurationInTheFileIsRefusedNamingTheKeyAndTheFile() throws IOException {
    Path file = file(new JsonObject().put("redeliveryInterval", 250));
    assertThatThrownBy(() -> NodeConfig.load(List.of("--config", file.toString()), env()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("redeliveryInterval").hasMessageContaining(file.toString());
  }

  @Test
  void unknownSettingsAreRefused() {
    assertThatThrownBy(() -> NodeConfig.load(List.of("--nope", "1"), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("unknown setting 'nope'");
    assertThatThrownBy(() -> NodeConfig.load(List.of(), env("ORDERBUS_NOPE", "1")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown setting 'nope'").hasMessageContaining("ORDERBUS_NOPE");
    assertThatThrownBy(() -> NodeConfig.defaultsOnly().with("nope", 1))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("nope");
  }

  @Test
  void unknownSettingInTheFileIsRefused() throws IOException {
    Path file = file(new JsonObject().put("httpPrt", 1));
    assertThatThrownBy(() -> NodeConfig.load(List.of("--config", file.toString()), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("httpPrt");
  }

  @Test
  void unreadableFileIsRefused() throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"httpPort\": ");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--config", file.toString()), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining(file.toString());
  }

  @Test
  void wrongTypesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> NodeConfig.load(List.of("--http-port", "abc"), env()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("httpPort").hasMessageContaining("abc");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--max-attempts", "1.5"), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--http-port="), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("httpPort");
    assertThatThrownBy(() -> NodeConfig.load(List.of(), env("ORDERBUS_CLUSTER_PORT", "57o1")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("clusterPort").hasMessageContaining("ORDERBUS_CLUSTER_PORT");
  }

  @Test
  void wrongTypeInTheFileIsRefused() throws IOException {
    Path file = file(new JsonObject().put("httpPort", true));
    assertThatThrownBy(() -> NodeConfig.load(List.of("--config", file.toString()), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("httpPort");
  }

  @Test
  void malformedCommandLinesAreRefused() {
    assertThatThrownBy(() -> NodeConfig.load(List.of("http-port", "1"), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("unexpected argument 'http-port'");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--http-port"), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("--http-port needs a value");
  }

  // ---- main-code bugs: these fail until NodeConfig is fixed ------------------------------------

  /** Bug: {@code --config=path} is silently ignored (only {@code --config path} is looked for), so the node starts on defaults. */
  @Test
  void theConfigFlagInEqualsFormIsRead() throws IOException {
    Path file = file(new JsonObject().put("clusterName", "eq-file"));
    NodeConfig config = NodeConfig.load(List.of("--config=" + file), env());
    assertThat(config.string("clusterName")).isEqualTo("eq-file");
  }

  /** Bug: a fractional number in the file is truncated ({@code 8080.9} becomes 8080), where the same value as a flag is refused. */
  @Test
  void aFractionalNumberInTheFileIsRefusedAsOnTheCommandLine() throws IOException {
    Path file = file(new JsonObject().put("httpPort", 8080.9));
    assertThatThrownBy(() -> NodeConfig.load(List.of("--config", file.toString()), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("httpPort");
  }

  @Test
  void withReplacesOneKeyAndLeavesTheOriginalAlone() {
    NodeConfig original = NodeConfig.defaultsOnly();
    NodeConfig changed = original.with("httpPort", 0).with("nodeName", "n1");
    assertThat(changed.integer("httpPort")).isZero();
    assertThat(changed.string("nodeName")).isEqualTo("n1");
    assertThat(original.integer("httpPort")).isEqualTo(8080);
    assertThat(original.string("nodeName")).isEmpty();
  }

  // ---- the typed settings ------------------------------------------------------------------------

  private static void refusedWith(String message, ThrowingCallable load) {
    assertThatThrownBy(load).isInstanceOf(InvalidConfigException.class).hasMessage(message);
  }

  @Test
  void theDefaultsParseIntoTheTypedSettings() {
    Settings settings = NodeConfig.load(List.of(), env()).settings();
    assertThat(settings.roles()).containsExactly(Role.GATEWAY, Role.ORDER, Role.INVENTORY, Role.EMAIL);
    assertThat(settings.name()).as("blank nodeName: the cluster address").isEqualTo("127.0.0.1:5701");
    assertThat(settings.cluster().members()).containsExactly("127.0.0.1:5701");
    assertThat(settings.cluster().minorityTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.cluster().clockSkew()).isZero();
    assertThat(settings.http().port()).isEqualTo(8080);
    assertThat(settings.http().limits().maxConnections()).isEqualTo(1000);
    assertThat(settings.services().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.delivery().mode()).isEqualTo(DeliveryMode.DURABLE);
    assertThat(settings.delivery().groupPrefetch()).isEmpty();
    assertThat(settings.delivery().durable().backoff().max()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.retention().orders()).isEqualTo(Duration.ofDays(7));
    assertThat(settings.stock().kind()).isEqualTo(StockStoreKind.HAZELCAST);
    assertThat(settings.mailer().kind()).isEqualTo(MailerKind.EMBEDDED);
    assertThat(settings.security().adminToken()).isEqualTo(AdminTokenPolicy.SHIPPED_DEFAULT);
    assertThat(settings.security().eventBusTls()).isEqualTo(new EventBusTls("", "", ""));
    assertThat(settings.launcher().nodes()).isEqualTo(3);
  }

  @Test
  void everySettingOfTheDefaultsHasATypedField() {
    JsonObject defaults = NodeConfig.defaultsOnly().asJson();
    SettingsReader reader = new SettingsReader(defaults, Map.of());
    Settings.read(reader);
    assertThat(reader.unread()).isEmpty();
  }

  @Test
  void theTypedSettingsKeepTheLayering() throws IOException {
    Path file = file(new JsonObject().put("delivery", "bare").put("mailer", "smtp").put("stockStore", "postgres")
        .put("smtpPort", 2525));
    Settings settings = NodeConfig.load(List.of("--config", file.toString(), "--mailer", "embedded"),
        env("ORDERBUS_STOCK_STORE", "hazelcast", "ORDERBUS_SMTP_PORT", "2626")).settings();
    assertThat(settings.delivery().mode()).as("file beats defaults").isEqualTo(DeliveryMode.BARE);
    assertThat(settings.stock().kind()).as("env beats file").isEqualTo(StockStoreKind.HAZELCAST);
    assertThat(settings.mailer().smtpPort()).as("env beats file").isEqualTo(2626);
    assertThat(settings.mailer().kind()).as("flag beats file").isEqualTo(MailerKind.EMBEDDED);
    assertThat(NodeConfig.defaultsOnly().with("stockStore", "postgres").settings().stock().kind())
        .isEqualTo(StockStoreKind.POSTGRES);
  }

  @Test
  void eachClosedSetRefusesABadValueNamingTheKeyAndTheSource() throws IOException {
    refusedWith("flag --delivery: delivery must be 'durable' or 'bare', not 'fast'",
        () -> NodeConfig.load(List.of("--delivery", "fast"), env()));
    refusedWith("environment variable ORDERBUS_STOCK_STORE: stockStore must be 'hazelcast' or 'postgres', not 'mysql'",
        () -> NodeConfig.load(List.of(), env("ORDERBUS_STOCK_STORE", "mysql")));
    Path file = file(new JsonObject().put("mailer", "sendmail"));
    refusedWith("file " + file + ": mailer must be 'embedded' or 'smtp', not 'sendmail'",
        () -> NodeConfig.load(List.of("--config", file.toString()), env()));
    // Matched exactly, as before.
    refusedWith("override: delivery must be 'durable' or 'bare', not 'Durable'",
        () -> NodeConfig.defaultsOnly().with("delivery", "Durable"));
  }

  @Test
  void rolesAreMatchedInAnyCaseOnceEachAndRefusedNamingTheSource() {
    assertThat(NodeConfig.load(List.of("--roles", "Email, gateway,EMAIL"), env()).settings().roles())
        .containsExactly(Role.EMAIL, Role.GATEWAY);
    refusedWith("flag --roles: roles: unknown role 'payment' (use gateway, order, inventory, email)",
        () -> NodeConfig.load(List.of("--roles", "gateway,payment"), env()));
    refusedWith("environment variable ORDERBUS_ROLES: roles: give at least one of gateway, order, inventory, email",
        () -> NodeConfig.load(List.of(), env("ORDERBUS_ROLES", " , ")));
  }

  @Test
  void groupPrefetchIsAMapOfGroupToCreditAndRefusedWhenMalformed() {
    Settings settings = NodeConfig.load(List.of("--group-prefetch", "email=64, inventory = 128"), env()).settings();
    assertThat(settings.delivery().groupPrefetch()).containsExactlyInAnyOrderEntriesOf(Map.of("email", 64, "inventory", 128));
    assertThat(settings.delivery().durable().prefetchOf("email")).isEqualTo(64);
    assertThat(settings.delivery().durable().prefetchOf("order")).isEqualTo(256);
    refusedWith("environment variable ORDERBUS_GROUP_PREFETCH: groupPrefetch: 'email:64' is not <group>=<number>",
        () -> NodeConfig.load(List.of(), env("ORDERBUS_GROUP_PREFETCH", "email:64")));
  }

  @Test
  void durableTuningOutOfRangeIsRefusedWhenDurableDeliveryAsksForIt() {
    Settings bare = NodeConfig.defaultsOnly().with("delivery", "bare").with("prefetch", 0).settings();
    assertThat(bare.delivery().mode()).as("a bare node never uses the tuning").isEqualTo(DeliveryMode.BARE);
    assertThatThrownBy(() -> bare.delivery().durable())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("prefetch");
    assertThatThrownBy(() -> NodeConfig.defaultsOnly().with("httpMaxConnections", 0).settings().http().limits())
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("httpMaxConnections");
  }

  @Test
  void typedDurationsAndListsFollowTheirSources() {
    Settings settings = NodeConfig.load(List.of("--clock-skew", "-PT10S", "--members", "10.0.0.1:5701, 10.0.0.2:5701"),
        env("ORDERBUS_HTTP_IDLE_TIMEOUT", "PT1M", "ORDERBUS_NODE_NAME", "n1")).settings();
    assertThat(settings.cluster().clockSkew()).isEqualTo(Duration.ofSeconds(-10));
    assertThat(settings.cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(settings.http().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.name()).isEqualTo("n1");
  }

  @Test
  void theTypedSettingsNeverShowASecret() {
    Settings settings = NodeConfig.load(List.of("--admin-token", "tok-3x4mple", "--smtp-password", "pw-3x4mple"),
        env("ORDERBUS_PG_URI", "postgresql://u:pg-3x4mple@db/orderbus")).settings();
    assertThat(settings.security().adminToken()).isEqualTo("tok-3x4mple");
    assertThat(settings.mailer().smtp().password()).isEqualTo("pw-3x4mple");
    assertThat(settings.stock().postgres().uri()).contains("pg-3x4mple");
    assertThat(settings.toString()).doesNotContain("3x4mple").contains("(secret)");
    assertThatThrownBy(() -> NodeConfig.load(List.of("--admin-token", "tok-3x4mple", "--mailer", "smpt"), env()))
        .isInstanceOf(InvalidConfigException.class).hasMessageNotContaining("3x4mple");
  }
}
