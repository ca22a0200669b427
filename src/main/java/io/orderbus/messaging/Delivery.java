package io.orderbus.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Set;

/**
 * Publishes events to the groups that consume their topic, and subscribes this node's members to a
 * group. Two implementations, chosen per node by the {@code delivery} setting:
 * {@link DurableDelivery} (at least once to every group, survives downtime and node loss) and
 * {@link BareDelivery} (a plain event-bus publish: at most once, lost if nobody listens). Services see
 * only this; operators' questions go to {@link DeliveryAdmin}.
 */
public interface Delivery {

  /** Succeeds once the event is accepted (durably stored, for durable delivery). */
  Future<Void> publish(String topic, String eventId, JsonObject payload);

  /** Like {@link #publish} but handed to the groups no earlier than {@code delay} from now. */
  Future<Void> publishDelayed(String topic, String eventId, JsonObject payload, Duration delay);

  /** Declares the group cluster-wide and makes this node one of its members; succeeds once registered. */
  Future<Void> subscribe(GroupSpec group, EventHandler handler);

  /** Declares a group without joining it, so events for it are kept until a member arrives. */
  Future<Void> declare(GroupSpec group);

  /** {@code durable} or {@code bare}. */
  String mode();

  /** Groups this node is a member of. */
  Set<String> subscribedGroups();
}
