package io.orderbus.node;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration of one node: the defaults of {@code conf/orderbus.json}, overridden by
 * {@code ORDERBUS_*} environment variables, overridden by {@code --kebab-case} flags.
 *
 * <p>Keys are camelCase in the file; {@code ORDERBUS_HTTP_PORT} and {@code --http-port} both name
 * {@code httpPort}. A value is converted to the type its default has (number, boolean, list, text; checked as
 * an ISO-8601 duration where {@link Settings} reads one), then the whole is read once into the typed
 * {@link Settings}. So an unknown key, a value of the wrong type or one outside its closed set
 * ({@code delivery}, {@code roles}, ...) is refused at start-up, naming the key and the file, environment
 * variable or flag it came from, rather than discovered later.
 */
public final class NodeConfig {

  /** Thrown for a configuration a node cannot start with; the message says which key and why. */
  public static final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }

  private static final String DEFAULTS_RESOURCE = "orderbus.json";
  private static final String ENV_PREFIX = "ORDERBUS_";
  /**
   * Settings that hold secrets: each may also be read from a file ({@code adminTokenFile},
   * {@code --admin-token-file}, {@code ORDERBUS_ADMIN_TOKEN_FILE}), as a flag's value shows in {@code ps}.
   * Their values are never part of an error message.
   */
  public static final java.util.Set<String> SECRETS = java.util.Set.of("adminToken", "smtpPassword", "pgUri");
  /** The keys the typed settings read as durations: each layer's value must parse as one. */
  private static final java.util.Set<String> DURATIONS = durationKeys();

  private final JsonObject values;
  /** Where the value in force of each key came from, for the messages of {@link SettingsReader}. */
  private final Map<String, String> sources;
  private final Settings settings;

  private NodeConfig(JsonObject values, Map<String, String> sources) {
    this.values = values;
    this.sources = sources;
    SettingsReader reader = new SettingsReader(values, sources);
    this.settings = Settings.read(reader);
    if (!reader.unread().isEmpty()) {
      throw new IllegalStateException("settings without a typed field: " + reader.unread());
    }
  }

  /** Loads defaults, then {@code configFile} if it exists, then the environment, then the flags. */
  public static NodeConfig load(List<String> flags, Map<String, String> env) {
    JsonObject merged = defaults();
    Map<String, String> sources = new HashMap<>();
    Path file = Path.of(env.getOrDefault(ENV_PREFIX + "CONFIG", "conf/orderbus.json"));
    for (int i = 0; i < flags.size(); i++) {
      if (flags.get(i).equals("--config") && i + 1 < flags.size()) {
        file = Path.of(flags.get(i + 1));
      } else if (flags.get(i).startsWith("--config=")) {
        file = Path.of(flags.get(i).substring("--config=".length()));
      }
    }
    if (Files.isRegularFile(file)) {
      JsonObject fromFile = readJson(file);
      for (String key : fromFile.fieldNames()) {
        set(merged, sources, key, fromFile.getValue(key), "file " + file);
      }
    }
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.equals(ENV_PREFIX + "CONFIG")) {
        set(merged, sources, camel(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT), '_'), value,
            "environment variable " + name);
      }
    });
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      if (!flag.startsWith("--")) {
        throw new InvalidConfigException("unexpected argument '" + flag + "'");
      }
      String name = flag.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < flags.size()) {
        value = flags.get(++i);
      } else {
        throw new InvalidConfigException("flag --" + name + " needs a value");
      }
      if (!name.equals("config")) {
        set(merged, sources, camel(name, '-'), value, "flag --" + name);
      }
    }
    return new NodeConfig(merged, sources);
  }

  /** The defaults alone, as shipped in the jar. */
  public static NodeConfig defaultsOnly() {
    return new NodeConfig(defaults(), Map.of());
  }

  /** A copy with one key replaced; used by the launcher to derive each child's settings. */
  public NodeConfig with(String key, Object value) {
    JsonObject copy = values.copy();
    Map<String, String> copiedSources = new HashMap<>(sources);
    set(copy, copiedSources, key, value, "override");
    return new NodeConfig(copy, copiedSources);
  }

  /** The settings, typed: what a node reads. */
  public Settings settings() {
    return settings;
  }

  public JsonObject asJson() {
    return values.copy();
  }

  // The accessors by key below serve the launcher, the benches and chaos until they read settings() too.

  public String string(String key) {
    return values.getString(key);
  }

  public int integer(String key) {
    return values.getInteger(key);
  }

  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    values.getJsonArray(key).forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  public Duration duration(String key) {
    return Duration.parse(values.getString(key));
  }

  private static JsonObject defaults() {
    try (InputStream in = NodeConfig.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  private static JsonObject readJson(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException | DecodeException e) {
      throw new InvalidConfigException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** A secret from a file (a Docker or Kubernetes secret): its content without the trailing line break. */
  private static String readSecret(Path file, String key, String source) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new InvalidConfigException(source + ": cannot read the file of " + key + " (" + file + ")");
    }
  }

  static String camel(String name, char separator) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == separator) {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static void set(JsonObject target, Map<String, String> sources, String key, Object raw, String source) {
    String secret = key.endsWith("File") ? key.substring(0, key.length() - "File".length()) : null;
    if (secret != null && SECRETS.contains(secret)) {
      target.put(secret, readSecret(Path.of(String.valueOf(raw).trim()), secret, source));
      sources.put(secret, source);
      return;
    }
    Object current = target.getValue(key);
    if (current == null && !target.containsKey(key)) {
      throw new InvalidConfigException(source + ": unknown setting '" + key + "'");
    }
    target.put(key, convert(key, current, raw, source));
    sources.put(key, source);
  }

  private static Object convert(String key, Object current, Object raw, String source) {
    String text = raw instanceof String s ? s.trim() : null;
    try {
      if (current instanceof Integer) {
        if (raw instanceof Number n) {
          if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new NumberFormatException();
          }
          return n.intValue();
        }
        return Integer.parseInt(text);
      }
      if (current instanceof Boolean) {
        if (raw instanceof Boolean b) {
          return b;
        }
        if (!"true".equalsIgnoreCase(text) && !"false".equalsIgnoreCase(text)) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(text);
      }
      if (current instanceof JsonArray) {
        if (raw instanceof JsonArray a) {
          return a;
        }
        if (raw instanceof List<?> l) {
          return new JsonArray(new ArrayList<>(l));
        }
        return new JsonArray(Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
      }
      String value = String.valueOf(raw);
      if (DURATIONS.contains(key)) {
        Duration.parse(value);
      }
      return value;
    } catch (NumberFormatException | NullPointerException | DateTimeParseException e) {
      throw new InvalidConfigException(source + ": '" + raw + "' is not a valid " + describe(key, current) + " for " + key);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(source + ": '" + raw + "' for " + key + ": " + e.getMessage());
    }
  }

  private static String describe(String key, Object current) {
    if (current instanceof Integer) {
      return "number";
    }
    if (DURATIONS.contains(key)) {
      return "ISO-8601 duration (e.g. PT2S)";
    }
    return "value";
  }

  private static java.util.Set<String> durationKeys() {
    SettingsReader reader = new SettingsReader(defaults(), Map.of());
    Settings.read(reader);
    return reader.durations();
  }
}
