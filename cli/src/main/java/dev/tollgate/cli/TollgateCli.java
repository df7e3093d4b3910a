package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate} command. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    version = "tollgate 0.1.0",
    description = "Tollgate, the serverless AI gateway for AWS: dev server, config, keys and usage.",
    subcommands = {
      DevCommand.class,
      ConfigCommand.class,
      KeysCommand.class,
      UsageCommand.class,
      AuditCommand.class,
      KbCommand.class,
      MockUpstreamCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TollgateCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 invalid input). */
  static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for callers that redirect its output. */
  static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The command line with its subcommands made by {@code factory}, so tests can hand them a clock. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(new TollgateCli(), factory)
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("tollgate: " + e.getMessage());
              return e instanceof IllegalArgumentException ? 2 : 1;
            });
  }
}
