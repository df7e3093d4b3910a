package dev.tollgate.cli;

import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbConfigWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tollgate config validate|apply|export}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Validate a YAML config, write it to the config table, or export the table as YAML.",
    subcommands = {ConfigCommand.Validate.class, ConfigCommand.Apply.class, ConfigCommand.Export.class})
final class ConfigCommand {

  static boolean report(ConfigFile.Loaded loaded, PrintWriter out) {
    if (loaded.valid()) {
      return true;
    }
    out.println(loaded.name() + " has " + loaded.errors().size() + " error(s); nothing was written:");
    loaded.errors().forEach(error -> out.println("  " + error.message()));
    return false;
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file; lists every error.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() throws Exception {
      ConfigFile.Loaded loaded = ConfigFile.read(file);
      PrintWriter out = spec.commandLine().getOut();
      if (!report(loaded, out)) {
        return 2;
      }
      out.println(file + " is valid: " + loaded.items().size() + " items.");
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Validate FILE and write it to the config table; nothing is written if any item is invalid.")
  static final class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Parameters(paramLabel = "FILE") Path file;

    @Option(names = "--prune", description = "also delete routes, targets, limit policies, model prices, prompt guards, decorators, templates and filters that FILE does not contain")
    boolean prune;

    @Override
    public Integer call() throws Exception {
      ConfigFile.Loaded loaded = ConfigFile.read(file);
      PrintWriter out = spec.commandLine().getOut();
      if (!report(loaded, out)) {
        return 2;
      }
      try (var client = table.client()) {
        var applied = new DynamoDbConfigWriter(client, table.configTable()).apply(loaded.items(), prune);
        out.printf(
            "Applied %s to %s: %d items written, %d deleted, in %d transaction(s).%n",
            file, table.configTable(), applied.written(), applied.deleted(), applied.transactions());
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the config table out as YAML.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Option(names = {"-o", "--output"}, description = "file to write (default: standard output)")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (var client = table.client()) {
        String yaml = ConfigFile.toYaml(new DynamoDbConfigSource(client, table.configTable()).load());
        if (output == null) {
          spec.commandLine().getOut().print(yaml);
          spec.commandLine().getOut().flush(); // print() does not flush, and main exits right after
        } else {
          Files.writeString(output, yaml);
        }
      }
      return 0;
    }
  }
}
