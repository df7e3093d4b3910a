package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollgate} command. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    version = "tollgate 0.1.0",
    description = "Tollgate, the serverless AI gateway for AWS: dev server, config and keys.",
    subcommands = {
      DevCommand.class,
      ConfigCommand.class,
      KeysCommand.class,
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
    return new CommandLine(new TollgateCli())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("tollgate: " + e.getMessage());
              return e instanceof IllegalArgumentException ? 2 : 1;
            });
  }
}
