package dev.tollgate.cli;

import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbCounterReader;
import dev.tollgate.aws.DynamoDbCounterReader.CounterItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.ValidatedConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate usage}: the limit counters that hold usage now, with what each has left. */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Show each limit counter with usage in the window that counts now: used, limit, remaining.",
      "Reads the limit policies from the config table (only valid ones) and the counters table."
    })
final class UsageCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin TableOptions table;

  @Option(names = "--consumer", paramLabel = "NAME",
      description = "only counters that count this consumer's requests: its own, and shared ones (global, group, route) its keys fall under")
  String consumer;

  @Option(names = "--group", paramLabel = "GROUP",
      description = "only counters that count this group's requests, including per-consumer counters of consumers with a key in it")
  String group;

  @Option(names = "--model", paramLabel = "ALIAS",
      description = "only counters that count requests for this model alias")
  String model;

  @Option(names = "--policy", paramLabel = "NAME", description = "only this limit policy")
  String policy;

  @Option(names = "--json", description = "print the rows as a JSON array, with each counter's item keys")
  boolean json;

  private final Clock clock;

  UsageCommand() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, so tests see fixed windows. */
  UsageCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Instant now = clock.instant();
    ValidatedConfig config;
    List<CounterItem> counters;
    try (var client = table.client()) {
      config = new ConfigValidator(ConfigFile.catalog()).validate(new DynamoDbConfigSource(client, table.configTable()).load(), now);
      counters = new DynamoDbCounterReader(client, table.countersTable()).all();
    }
    PrintWriter err = spec.commandLine().getErr();
    // The gateway skips invalid items too; say so, since a missing policy would otherwise puzzle.
    config.errors().forEach(error -> err.println("tollgate: ignored an invalid config item: " + error.message()));
    UsageFilter filter = new UsageFilter(policy, consumer, group, model);
    List<UsageRow> rows =
        UsageReport.rows(
            config.config().limits(), new KeyGroups(config.config().consumersByKeyHash().values()), counters, filter, now);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(UsageFormat.json(rows));
    } else if (rows.isEmpty()) {
      String filters = filter.describe();
      out.println("No limit counter in " + table.countersTable() + " has usage in its current window"
          + (filters.isEmpty() ? "" : " for " + filters) + ".");
    } else {
      out.print(UsageFormat.table(rows));
    }
    out.flush();
    return 0;
  }
}
