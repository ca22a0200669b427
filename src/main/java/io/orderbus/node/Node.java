package io.orderbus.node;

import com.hazelcast.core.HazelcastInstance;
import io.orderbus.email.EmailContract;
import io.orderbus.email.EmailVerticle;
import io.orderbus.email.EmbeddedMailer;
import io.orderbus.email.Mailer;
import io.orderbus.email.SmtpMailer;
import io.orderbus.gateway.ClusterView;
import io.orderbus.gateway.GatewayLimits;
import io.orderbus.gateway.GatewayVerticle;
import io.orderbus.inventory.InventoryContract;
import io.orderbus.inventory.InventoryVerticle;
import io.orderbus.messaging.Hops;
import io.orderbus.messaging.MemberDirectory;
import io.orderbus.messaging.ProcessStalls;
import io.orderbus.messaging.BareDelivery;
import io.orderbus.messaging.ClusterClock;
import io.orderbus.messaging.Delivery;
import io.orderbus.messaging.DeliveryAdmin;
import io.orderbus.messaging.GroupStats;
import io.orderbus.messaging.DeliveryVerticle;
import io.orderbus.messaging.DurableDelivery;
import io.orderbus.order.OrderContract;
import io.orderbus.order.OrderVerticle;
import io.orderbus.user.UserVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One JVM of the cluster: a clustered Vert.x on Hazelcast, running the roles its configuration names.
 * Every node declares every known consumer group, so events for a group are kept from the first node's
 * start on, even before any member of that group has run.
 */
public final class Node implements ClusterView {
  /** Printed once the node has joined and deployed its roles; launchers and tests wait for it. */
  public static final String READY_LINE = "ORDERBUS READY";
  private static final long REGISTRY_REFRESH_MS = 1000;
  private static final long CLUSTER_SAFE_TIMEOUT_MS = 60_000;
  private static final Logger LOG = Logger.getLogger(Node.class.getName());

  private final Settings settings;
  private final String name;
  private final List<Role> roles;
  private final long startedAt = System.currentTimeMillis();
  private final NodeMetrics metrics;
  private Vertx vertx;
  private HazelcastInstance hazelcast;
  private Delivery delivery;
  private DeliveryAdmin admin;
  private NodeRegistry registry;
  private BackupSafety backupSafety;
  private final GatewayLimits gatewayLimits;
  private Integer httpPort;
  private volatile boolean ready;

  private Node(Settings settings) {
    this.settings = settings;
    this.roles = settings.roles();
    this.name = settings.name();
    this.metrics = new NodeMetrics(name);
    // The gateway's limits on clients, checked before the node joins anything.
    this.gatewayLimits = settings.http().limits();
    Hops.level(settings.tracing().hopLog().level());
  }

  /** Starts a node and completes once it is ready. */
  public static Future<Node> start(NodeConfig config) {
    Node node = new Node(config.settings());
    return node.boot().map(node);
  }

  @Override
  public String nodeName() {
    return name;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The Hazelcast member under this node, for operators' tooling and tests. */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public Delivery delivery() {
    return delivery;
  }

  /** What operators may ask of this node's delivery: group counts, dead letters, replay. */
  public DeliveryAdmin deliveryAdmin() {
    return admin;
  }

  /** The HTTP port the gateway bound, or null when this node has no gateway. */
  public Integer httpPort() {
    return httpPort;
  }

  public List<Role> roles() {
    return roles;
  }

  @Override
  public long clusterTime() {
    return ClusterClock.of(hazelcast).now();
  }

  @Override
  public Future<List<JsonObject>> nodes() {
    return registry.live();
  }

  @Override
  public Future<JsonObject> describe() {
    return registry.live().compose(nodes -> Future.all(admin.groupStats(), admin.pendingByOwner()).map(all -> {
      JsonObject groups = statsJson(all.resultAt(0));
      java.util.Map<String, Long> owned = all.resultAt(1);
      groups.fieldNames().forEach(group -> groups.getJsonObject(group)
          .put("members", NodeRegistry.membersOf(nodes, group))
          .put("inFlight", NodeRegistry.inFlightOf(nodes, group)));
      nodes.forEach(n -> n.put("pendingOwned", owned.getOrDefault(n.getString("id"), 0L)));
      // Hazelcast's oldest member coordinates membership and partitions; losing it costs the longest failover.
      String masterId = MemberDirectory.idOf(hazelcast.getCluster().getMembers().iterator().next());
      String master = nodes.stream().filter(n -> masterId.equals(n.getString("id")))
          .map(n -> n.getString("name")).findFirst().orElse(masterId);
      return new JsonObject()
          .put("clusterName", settings.cluster().name())
          .put("delivery", delivery.mode())
          // Every member's backups in sync: a node may be taken down only while this holds.
          .put("safe", BackupSafety.clusterSafe(nodes, memberIds(), clusterTime()))
          .put("master", master)
          .put("nodes", new JsonArray(new ArrayList<>(nodes)))
          .put("groups", groups);
    }));
  }

  /**
   * Every live node's meters, gathered over the event bus into one Prometheus text exposition, followed by
   * the cluster-wide state of each consumer group. A node that does not answer in time is left out and
   * shows as {@code orderbus_node_up 0}.
   */
  @Override
  public Future<String> metrics() {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.services().requestTimeout().toMillis());
    return registry.live().compose(nodes -> {
      List<Future<String>> scrapes = nodes.stream()
          .map(n -> vertx.eventBus().<String>request(NodeMetrics.address(n.getString("id")), "", options)
              .map(Message::body).otherwise((String) null))
          .toList();
      return Future.join(scrapes).otherwiseEmpty()
          .compose(v -> admin.groupStats().map(Node::statsJson).otherwise(new JsonObject()))
          .map(groups -> {
            PrometheusText text = new PrometheusText();
            Map<Map<String, String>, Number> up = new LinkedHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
              String scrape = scrapes.get(i).result();
              if (scrape != null) {
                text.add(scrape);
              }
              up.put(Map.of("node", nodes.get(i).getString("name")), scrape == null ? 0 : 1);
            }
            text.gauge("orderbus_node_up", "1 if the node answered for its meters in this scrape, 0 if not", up);
            text.gauge("orderbus_group_pending", "events of the group not yet acknowledged, cluster-wide",
                perGroup(groups, g -> g.getLong("pending", 0L)));
            text.gauge("orderbus_group_dead_letters", "dead letters of the group, cluster-wide",
                perGroup(groups, g -> g.getLong("deadLetters", 0L)));
            text.gauge("orderbus_group_oldest_pending_age_seconds", "age of the group's oldest pending event",
                perGroup(groups, g -> g.getLong("oldestPendingAgeMs", 0L) / 1000.0));
            return text.toString();
          });
    });
  }

  private static JsonObject statsJson(Map<String, GroupStats> stats) {
    JsonObject out = new JsonObject();
    stats.forEach((group, s) -> out.put(group, s.toJson()));
    return out;
  }

  private InventoryVerticle inventory(HazelcastInstance hazelcast) {
    return switch (settings.stock().kind()) {
      case HAZELCAST -> new InventoryVerticle(hazelcast, delivery, name);
      case POSTGRES -> new InventoryVerticle(settings.stock().postgres(), delivery, name);
    };
  }

  private Mailer mailer(HazelcastInstance hazelcast) {
    return switch (settings.mailer().kind()) {
      case EMBEDDED -> new EmbeddedMailer(vertx, hazelcast, name);
      case SMTP -> new SmtpMailer(vertx, hazelcast, name, settings.mailer().smtp());
    };
  }

  private static Map<Map<String, String>, Number> perGroup(JsonObject groups,
                                                         java.util.function.Function<JsonObject, Number> value) {
    Map<Map<String, String>, Number> out = new LinkedHashMap<>();
    groups.fieldNames().stream().sorted().forEach(group -> out.put(Map.of("group", group), value.apply(groups.getJsonObject(group))));
    return out;
  }

  /**
   * Runs {@code exit} (once, on its own thread) if this node stays cut off from the cluster's majority for
   * {@code minorityTimeout} ({@link MinorityWatchdog}); for a node that is its own process, whose supervisor
   * starts it again. Nothing happens with {@code minClusterSize} 1 or a zero timeout.
   */
  public void exitWhenCutOff(Runnable exit) {
    MinorityWatchdog.watch(vertx, hazelcast, settings.cluster().minorityTimeout(), exit);
  }

  /**
   * Leaves the cluster: other nodes take over this node's partitions. Call it from outside Vert.x (main,
   * a shutdown hook, a test): the future completes after the event loops are gone. The registry entry
   * needs no removal, readers drop entries of nodes that left.
   */
  public Future<Void> stop() {
    ready = false;
    metrics.close();
    if (backupSafety != null) {
      backupSafety.stop();
    }
    return vertx == null ? Future.succeededFuture() : vertx.close();
  }

  private Future<Void> boot() {
    try {
      AdminTokenPolicy.check(settings);
    } catch (NodeConfig.InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    return ClusteredVertx.start(settings).compose(clustered -> {
      Vertx vertx = clustered.vertx();
      this.vertx = vertx;
      HazelcastInstance hazelcast = clustered.hazelcast();
      this.hazelcast = hazelcast;
      this.registry = new NodeRegistry(vertx, clustered.clusterManager(), hazelcast);
      this.backupSafety = BackupSafety.start(hazelcast);
      ClusterPresence.keep(vertx, clustered.clusterManager());
      // Watching from the start: a stall is noticed only by a watcher that was running before it.
      ProcessStalls.get();
      return metrics.serve(vertx, clustered.clusterManager().getNodeId())
          .compose(v -> startDelivery(hazelcast))
          .compose(v -> Future.all(delivery.declare(OrderContract.GROUP), delivery.declare(InventoryContract.GROUP),
              delivery.declare(EmailContract.GROUP)))
          .compose(v -> deployRoles(hazelcast))
          .compose(v -> registry.register(self()))
          .compose(v -> {
            // Keeps this node's entry (in-flight counts, backups in sync) current for /cluster.
            vertx.setPeriodic(REGISTRY_REFRESH_MS, id -> registry.register(self()));
            return awaitBackupsInSync(System.currentTimeMillis() + CLUSTER_SAFE_TIMEOUT_MS);
          })
          .onSuccess(v -> {
            ready = true;
            LOG.info(() -> "node " + name + " ready with roles " + roles.stream().map(Role::id).toList()
                + ", delivery " + delivery.mode());
            System.out.println(READY_LINE + " node=" + name + " http=" + (httpPort == null ? "-" : httpPort));
          })
          // Not awaited: a close composed on this context would wait on the event loop it shuts down.
          .onFailure(failure -> vertx.close());
    });
  }

  /**
   * Ready only once every partition's backup is in place: a node that joins starts partition migrations,
   * and until they are done one more node's death can lose data that has a single copy. Gives up (with a
   * warning) after a minute, so that a sick cluster does not keep a node from serving forever. Asks the
   * reports in the registry ({@link BackupSafety}), this node's written fresh each time.
   */
  private Future<Void> awaitBackupsInSync(long deadline) {
    return registry.register(self()).compose(v -> registry.live()).compose(nodes -> {
      boolean selfReported = nodes.stream().anyMatch(n -> n.getString("id").equals(selfId()));
      if (selfReported && BackupSafety.reportsSafe(nodes, memberIds(), clusterTime())) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > deadline) {
        LOG.warning("partition backups still not in sync after " + CLUSTER_SAFE_TIMEOUT_MS + " ms; ready anyway");
        return Future.succeededFuture();
      }
      return vertx.timer(100).compose(t -> awaitBackupsInSync(deadline));
    });
  }

  private String selfId() {
    return MemberDirectory.idOf(hazelcast.getCluster().getLocalMember());
  }

  private List<String> memberIds() {
    return hazelcast.getCluster().getMembers().stream().map(MemberDirectory::idOf).toList();
  }

  private Future<Void> startDelivery(HazelcastInstance hazelcast) {
    if (settings.delivery().mode() == DeliveryMode.BARE) {
      BareDelivery bare = new BareDelivery(vertx, name, ClusterClock.of(hazelcast));
      delivery = bare;
      admin = bare;
      return Future.succeededFuture();
    }
    DurableDelivery durable = new DurableDelivery(vertx, hazelcast, name, settings.delivery().durable(),
        metrics.registry());
    delivery = durable;
    admin = durable;
    return vertx.deployVerticle(new DeliveryVerticle(durable)).mapEmpty();
  }

  private Future<Void> deployRoles(HazelcastInstance hazelcast) {
    ServiceSettings services = settings.services();
    Duration timeout = services.requestTimeout();
    List<Future<?>> deployed = new ArrayList<>();
    for (Role role : roles) {
      switch (role) {
        case INVENTORY -> deployed.add(vertx.deployVerticle(inventory(hazelcast)));
        case EMAIL -> deployed.add(vertx.deployVerticle(
            new EmailVerticle(mailer(hazelcast), delivery)));
        case ORDER -> {
          deployed.add(vertx.deployVerticle(new OrderVerticle(hazelcast, delivery, name, timeout,
              services.circuitMaxFailures(), services.circuitResetTimeout())));
          deployed.add(vertx.deployVerticle(new UserVerticle(hazelcast, delivery, services.welcomeDelay())));
        }
        case GATEWAY -> { }
      }
    }
    // The gateway goes last: it answers only once the services on its own node are there.
    return Future.all(deployed).compose(v -> {
      if (!roles.contains(Role.GATEWAY)) {
        return Future.succeededFuture();
      }
      HttpSettings http = settings.http();
      GatewayVerticle gateway = new GatewayVerticle(http.host(), http.port(), timeout, this, admin,
          settings.security().adminToken(), http.streamRefresh(), metrics.registry(), gatewayLimits);
      return vertx.deployVerticle(gateway).onSuccess(id -> httpPort = gateway.actualPort()).mapEmpty();
    });
  }

  private JsonObject self() {
    return new JsonObject()
        .put("name", name)
        .put("roles", new JsonArray(roles.stream().map(Role::id).toList()))
        .put("http", httpPort == null ? null : settings.http().host() + ":" + httpPort)
        .put("cluster", settings.cluster().host() + ":" + settings.cluster().port())
        .put("delivery", delivery.mode())
        .put("groups", new JsonArray(new ArrayList<>(delivery.subscribedGroups())))
        .put("inFlight", new JsonObject(new java.util.LinkedHashMap<>(admin.inFlight())))
        .put("backups", backupSafety.toJson(clusterTime()))
        .put("startedAt", startedAt);
  }
}
