package io.orderbus.it;

import com.hazelcast.shaded.org.snakeyaml.engine.v2.api.Load;
import com.hazelcast.shaded.org.snakeyaml.engine.v2.api.LoadSettings;
import io.orderbus.support.Api;
import io.orderbus.support.Eventually;
import io.orderbus.support.NodeProcess;
import io.orderbus.support.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here, so this runs what the image would: the Dockerfile's ENTRYPOINT, ENV and
 * CMD, with each service's environment from conf/compose.yaml. Only what Docker's network provides is
 * replaced: service names become 127.0.0.1 and port 5701/8080 become free ports.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeployCommandIT {

  @Test
  void theComposeServicesFormAClusterThatTakesOrders(Vertx vertx) throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    List<String> entrypoint = jsonArray(dockerfile, "ENTRYPOINT");
    List<String> cmd = jsonArray(dockerfile, "CMD");
    Matcher javaOpts = Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(javaOpts.find()).as("ENV JAVA_OPTS in the Dockerfile").isTrue();

    String adminToken = UUID.randomUUID().toString();
    Map<String, Map<String, String>> services = composeEnvironments(Map.of("ORDERBUS_ADMIN_TOKEN", adminToken));
    assertThat(services).containsKeys("gateway", "inventory", "email");
    Map<String, Integer> clusterPorts = new HashMap<>();
    services.keySet().forEach(name -> clusterPorts.put(name, Ports.free()));
    String clusterName = "deploy-" + UUID.randomUUID().toString().substring(0, 8);

    List<NodeProcess> nodes = new ArrayList<>();
    try {
      for (var service : services.entrySet()) {
        Map<String, String> env = new HashMap<>(service.getValue());
        env.put("JAVA_OPTS", javaOpts.group(1));
        env.put("ORDERBUS_CLUSTER_HOST", "127.0.0.1");
        env.put("ORDERBUS_CLUSTER_PORT", String.valueOf(clusterPorts.get(service.getKey())));
        String members = env.get("ORDERBUS_MEMBERS");
        for (var port : clusterPorts.entrySet()) {
          members = members.replace(port.getKey() + ":5701", "127.0.0.1:" + port.getValue());
        }
        env.put("ORDERBUS_MEMBERS", members);
        env.put("ORDERBUS_CLUSTER_NAME", clusterName);
        env.put("ORDERBUS_HTTP_PORT", "0");
        List<String> command = new ArrayList<>();
        entrypoint.forEach(part -> command.add(part.replace("/app/orderbus.jar", NodeProcess.jar().toAbsolutePath().toString())));
        command.addAll(cmd);
        nodes.add(NodeProcess.startCommand("deploy-" + service.getKey(), command, env));
      }
      int port = -1;
      for (NodeProcess node : nodes) {
        int http = node.awaitReady(Duration.ofSeconds(120));
        if (node.name().equals("deploy-gateway")) {
          port = http;
        }
      }
      Api api = new Api(vertx, port, adminToken);
      JsonArray names = new JsonArray(api.get("/cluster").json().getJsonArray("nodes").stream()
          .map(n -> ((JsonObject) n).getString("name")).sorted().toList());
      assertThat(names.getList()).containsExactly("email", "gateway", "inventory");

      String customer = "deploy-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
      Api.Response accepted = api.post("/orders", Api.order(customer, "book", 1));
      assertThat(accepted.status()).isEqualTo(202);
      String id = accepted.json().getString("id");
      Eventually.until(Duration.ofSeconds(40), "order confirmed and emailed", () -> {
        JsonObject order = api.get("/orders/" + id).json();
        return "CONFIRMED".equals(order.getString("status")) && "SENT".equals(order.getString("emailStatus"));
      });
      assertThat(api.anonymous().get("/admin/dead-letters").status()).as("the operator API without the token")
          .isEqualTo(401);
      assertThat(api.get("/admin/dead-letters").status()).as("with the admin token compose requires").isEqualTo(200);
    } finally {
      for (NodeProcess node : nodes) {
        node.close();
      }
    }
  }

  private static List<String> jsonArray(String dockerfile, String instruction) {
    Matcher m = Pattern.compile("(?m)^" + instruction + " (\\[.*])\\s*$").matcher(dockerfile);
    assertThat(m.find()).as(instruction + " in exec form in the Dockerfile").isTrue();
    return new JsonArray(m.group(1)).stream().map(String::valueOf).toList();
  }

  /**
   * Each service's environment, with YAML merge keys applied, ${VAR:-default} resolved to its default and
   * ${VAR:?message} (required) to the value {@code given}, as compose does with the shell's environment.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> composeEnvironments(Map<String, String> given) throws Exception {
    Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(Path.of("conf/compose.yaml")));
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    ((Map<String, Object>) compose.get("services")).forEach((name, definition) -> {
      Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) definition).get("environment");
      Map<String, String> flat = new LinkedHashMap<>();
      Object merged = environment.get("<<");
      if (merged instanceof Map<?, ?> shared) {
        shared.forEach((k, v) -> flat.put(String.valueOf(k), String.valueOf(v)));
      }
      environment.forEach((k, v) -> {
        if (!k.equals("<<")) {
          flat.put(k, String.valueOf(v));
        }
      });
      flat.replaceAll((k, v) -> v.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1"));
      flat.replaceAll((k, v) -> {
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?[^}]*}").matcher(v);
        return required.matches() ? given.getOrDefault(required.group(1), "") : v;
      });
      out.put(name, flat);
    });
    return out;
  }
}
