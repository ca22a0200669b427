package io.orderbus.node;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** A command that starts nodes: every node setting is one of its options ({@link NodeSettingOptions}). */
public abstract class NodeSettingsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The picocli model of this command, e.g. to name it in a {@code ParameterException}. */
  protected CommandSpec spec() {
    return spec;
  }

  /** The node settings given, as {@link NodeConfig#load} takes them: {@code --http-port 8080 ...}. */
  protected List<String> settings() {
    return NodeSettingOptions.given(spec);
  }
}
