package io.orderbus.cli;

import io.orderbus.bench.BenchMember;
import io.orderbus.bench.DurableBench;
import io.orderbus.chaos.ChaosCommand;
import io.orderbus.node.LocalCluster;
import io.orderbus.node.NodeConfig;
import io.orderbus.node.NodeMain;
import io.orderbus.node.NodeSettingOptions;
import io.orderbus.node.NodeSettingsCommand;
import io.orderbus.node.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * The command line of {@code orderbus.jar}: {@code cluster} (also what runs when no command is given), {@code node},
 * {@code bench} and its kinds, {@code chaos}, and the hidden {@code bench-member}. Each has {@code --help} and
 * {@code --version}; an unknown or malformed option, or a setting {@link NodeConfig} refuses, is one line saying
 * which and why, a hint to {@code --help}, and exit status 2, never a stack trace.
 */
@Command(name = "java -jar orderbus.jar", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
    versionProvider = VersionProvider.class, sortOptions = false,
    description = {"An order system on a clustered Vert.x event bus. Without a command: a local cluster of separate"
        + " JVMs on 127.0.0.1, as 'cluster', with its options: --nodes N (1 to 9, default 3), --http-port PORT"
        + " (default 8080) and any node setting ('cluster --help' lists them), e.g. --welcome-delay PT10S."
        + " Ctrl-C stops them all."},
    subcommands = {OrderbusCommand.Cluster.class, NodeMain.Command.class, DurableBench.Command.class,
        ChaosCommand.Command.class, BenchMember.Command.class, CommandLine.HelpCommand.class},
    footer = {"", "'java -jar orderbus.jar COMMAND --help' describes a command and all its options."})
public final class OrderbusCommand extends NodeSettingsCommand {
  /** Exit status for bad usage: an unknown option, a malformed value, a setting refused. */
  public static final int USAGE = 2;

  @Override
  public Integer call() throws Exception {
    return LocalCluster.run(settings());
  }

  /** {@code orderbus cluster}: as the command line without a command. */
  @Command(name = "cluster", header = "A local cluster of separate JVMs on 127.0.0.1 (the default command).",
      mixinStandardHelpOptions = true, abbreviateSynopsis = true, versionProvider = VersionProvider.class, sortOptions = false,
      description = {"By default 3 JVMs: gateway+order, inventory, email. Ctrl-C stops them all, and they stop by"
          + " themselves if this launcher dies.",
          "--nodes N (1 to 9) sets the count, --http-port the gateway's port; every other setting is passed to"
              + " each node."})
  static final class Cluster extends NodeSettingsCommand {
    @Override
    public Integer call() throws Exception {
      return LocalCluster.run(settings());
    }
  }

  /** The whole command line, ready to {@link CommandLine#execute}; its output goes to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new OrderbusCommand());
    addSettings(commandLine);
    // A setting given twice counts as NodeConfig counts it: the last one wins.
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setUsageHelpWidth(100);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(OrderbusCommand::usageError);
    commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof NodeConfig.InvalidConfigException) {
        return usageError(new ParameterException(line, e.getMessage(), e), parsed.originalArgs().toArray(String[]::new));
      }
      throw e;
    });
    return commandLine;
  }

  /** The top command takes every setting too (it is 'cluster'), but leaves listing them to 'cluster --help'. */
  private static void addSettings(CommandLine commandLine) {
    if (commandLine.getCommand() instanceof NodeSettingsCommand) {
      NodeSettingOptions.addTo(commandLine.getCommandSpec(), !(commandLine.getCommand() instanceof OrderbusCommand));
    }
    commandLine.getSubcommands().values().forEach(OrderbusCommand::addSettings);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("orderbus: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return USAGE;
  }
}
