package io.orderbus.node;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every node setting as a {@code --kebab-case} option of a command that starts nodes, made from the settings
 * themselves ({@link NodeConfig#defaultsOnly()}), so that a new setting is a flag at once, shows in {@code --help},
 * and a misspelt one is refused as an unknown option. The values are only collected here:
 * {@link NodeConfig#load} converts and checks them, as it does for the file and the environment.
 */
public final class NodeSettingOptions {
  private static final String HEADING = "%nNode settings (defaults from conf/orderbus.json; also ORDERBUS_<SETTING>"
      + " environment variables):%n";

  /** Marks the options made here, so that {@link #given} tells them from the command's own. */
  private static final Object MARK = new Object();

  private NodeSettingOptions() {
  }

  /**
   * Adds an option per setting to {@code spec} (and {@code --config FILE}, and {@code --<secret>-file FILE} per
   * secret), except those the command declares itself: a command's own option of the same name wins. {@code listed}:
   * whether its {@code --help} lists them, under a heading of their own.
   */
  public static void addTo(CommandSpec spec, boolean listed) {
    JsonObject defaults = NodeConfig.defaultsOnly().asJson();
    List<OptionSpec> options = new ArrayList<>();
    options.add(option("--config", "FILE", "a settings file on top of the defaults (default: conf/orderbus.json"
        + " if it exists, or $ORDERBUS_CONFIG)"));
    for (String key : defaults.fieldNames()) {
      Object value = defaults.getValue(key);
      options.add(option(flag(key), "VALUE", "default: " + (value instanceof String s && s.isEmpty() ? "(none)" : value)));
      if (NodeConfig.SECRETS.contains(key)) {
        options.add(option(flag(key) + "-file", "FILE", key + " read from a file (it does not show in ps)"));
      }
    }
    options.removeIf(option -> spec.findOption(option.longestName()) != null);
    if (listed) {
      ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading(HEADING).exclusive(false).validate(false)
          .multiplicity("0..1");
      options.forEach(group::addArg);
      spec.addArgGroup(group.build());
    } else {
      options.forEach(option -> spec.addOption(option.toBuilder().hidden(true).build()));
    }
  }

  private static OptionSpec option(String name, String label, String description) {
    return OptionSpec.builder(name).paramLabel(label).type(String.class).arity("1").userObject(MARK)
        .description(description.replace("%", "%%")).build();
  }

  /** {@code httpPort} as a flag: {@code --http-port}. */
  public static String flag(String key) {
    return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
  }

  /** The node settings given to the command, as {@link NodeConfig#load} takes them: {@code --http-port 8080 ...}. */
  public static List<String> given(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    List<String> flags = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (option.userObject() == MARK && parsed.hasMatchedOption(option)) {
        flags.add(option.longestName());
        flags.add(parsed.matchedOptionValue(option.longestName(), (String) null));
      }
    }
    return flags;
  }
}
