package io.orderbus.node;

import java.time.Duration;
import java.util.List;

/**
 * How a node joins its cluster: Hazelcast's name, address and members, the quorum that guards against a split
 * brain, and the event bus bound beside it.
 *
 * @param publicHost      address the others must use when it differs from {@code host} (NAT); blank if not
 * @param minorityTimeout a node cut off from the majority this long exits for its supervisor; zero for never
 * @param eventBusPort    the event bus's port; 0 for any
 * @param clockSkew       tests and demos only: how far this JVM's clock runs off
 */
public record ClusterSettings(String name, String host, String publicHost, int port, List<String> members,
                              int minClusterSize, Duration minorityTimeout, int eventBusPort, Duration clockSkew) {

  static ClusterSettings read(SettingsReader in) {
    return new ClusterSettings(in.text("clusterName"), in.text("clusterHost"), in.text("clusterPublicHost"),
        in.number("clusterPort"), in.list("members"), in.number("minClusterSize"), in.duration("minorityTimeout"),
        in.number("eventBusPort"), in.duration("clockSkew"));
  }
}
