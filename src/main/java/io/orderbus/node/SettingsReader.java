package io.orderbus.node;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the merged layers of a {@link NodeConfig} as typed values, for the records of {@link Settings}. Each
 * value already has its default's JSON type (the merge checked that); what is left to refuse here is a value
 * outside a closed set or of the wrong form, and the refusal names the source the value came from.
 */
final class SettingsReader {
  private final JsonObject values;
  private final Map<String, String> sources;
  /** The keys no record has read yet: a key of orderbus.json without a typed field is a mistake of ours. */
  private final Set<String> unread;
  private final Set<String> durations = new HashSet<>();

  SettingsReader(JsonObject values, Map<String, String> sources) {
    this.values = values;
    this.sources = sources;
    this.unread = new HashSet<>(values.fieldNames());
  }

  String text(String key) {
    unread.remove(key);
    return values.getString(key);
  }

  int number(String key) {
    unread.remove(key);
    return values.getInteger(key);
  }

  Duration duration(String key) {
    durations.add(key);
    return Duration.parse(text(key));
  }

  List<String> list(String key) {
    unread.remove(key);
    List<String> out = new ArrayList<>();
    values.getJsonArray(key).forEach(v -> out.add(String.valueOf(v)));
    return List.copyOf(out);
  }

  /** One of a closed set, written as the constant's name in lower case ({@code durable}, {@code smtp}). */
  <E extends Enum<E>> E oneOf(String key, Class<E> type) {
    String value = text(key);
    for (E option : type.getEnumConstants()) {
      if (id(option).equals(value)) {
        return option;
      }
    }
    List<String> options = java.util.Arrays.stream(type.getEnumConstants()).map(o -> "'" + id(o) + "'").toList();
    throw refuse(key, key + " must be " + String.join(", ", options.subList(0, options.size() - 1)) + " or "
        + options.get(options.size() - 1) + ", not '" + value + "'");
  }

  /** The roles a node runs: at least one, each named once (any case), in the order given. */
  List<Role> roles(String key) {
    List<String> names = list(key);
    String known = java.util.Arrays.stream(Role.values()).map(Role::id).collect(Collectors.joining(", "));
    if (names.isEmpty()) {
      throw refuse(key, key + ": give at least one of " + known);
    }
    List<Role> roles = new ArrayList<>();
    for (String name : names) {
      Role role = java.util.Arrays.stream(Role.values()).filter(r -> r.id().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> refuse(key, key + ": unknown role '" + name + "' (use " + known + ")"));
      if (!roles.contains(role)) {
        roles.add(role);
      }
    }
    return List.copyOf(roles);
  }

  /** A number per consumer group, each item written {@code group=number} ({@code email=64}). */
  Map<String, Integer> numbersByGroup(String key) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String item : list(key)) {
      int eq = item.indexOf('=');
      try {
        out.put(item.substring(0, eq).trim(), Integer.parseInt(item.substring(eq + 1).trim()));
      } catch (RuntimeException e) {
        throw refuse(key, key + ": '" + item + "' is not <group>=<number>");
      }
    }
    return out;
  }

  /** The keys read as durations. */
  Set<String> durations() {
    return Set.copyOf(durations);
  }

  /** The keys of the layers no record read. */
  Set<String> unread() {
    return Set.copyOf(unread);
  }

  private NodeConfig.InvalidConfigException refuse(String key, String why) {
    return new NodeConfig.InvalidConfigException(sources.getOrDefault(key, "the defaults") + ": " + why);
  }

  private static String id(Enum<?> option) {
    return option.name().toLowerCase(Locale.ROOT);
  }
}
