package io.orderbus.node;

import java.util.List;

/**
 * Everything one node (or the local launcher) is configured with, parsed once from the layers of a
 * {@link NodeConfig}: a value of the wrong type or outside its closed set is refused there, naming the key and
 * where the value came from, before anything starts.
 *
 * @param nodeName name in {@code /cluster}, timelines and logs; blank for {@code clusterHost:clusterPort}
 * @param roles    what this node runs: at least one, each once
 */
public record Settings(String nodeName, List<Role> roles, ClusterSettings cluster, HttpSettings http,
                       ServiceSettings services, EventDeliverySettings delivery, RetentionSettings retention,
                       StockStoreSettings stock, MailerSettings mailer, SecuritySettings security,
                       LauncherSettings launcher, TracingSettings tracing) {

  static Settings read(SettingsReader in) {
    return new Settings(in.text("nodeName"), in.roles("roles"), ClusterSettings.read(in), HttpSettings.read(in),
        ServiceSettings.read(in), EventDeliverySettings.read(in), RetentionSettings.read(in),
        StockStoreSettings.read(in), MailerSettings.read(in), SecuritySettings.read(in), LauncherSettings.read(in),
        TracingSettings.read(in));
  }

  /** The name this node goes by: the configured one, or its cluster address. */
  public String name() {
    return nodeName.isBlank() ? cluster.host() + ":" + cluster.port() : nodeName;
  }
}
