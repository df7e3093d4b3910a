package dev.tollgate.cli;

import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbTargetStatsStore;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ValidatedConfig;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.RouteStatus;
import dev.tollgate.routing.SharedTargetStats;
import dev.tollgate.routing.TargetHealth;
import dev.tollgate.routing.TargetStatsStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate status}: per alias its strategy, per target its share, figures and breaker, as the cluster sees them. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show each model alias's strategy and, per target, static weight, effective share of its priority tier,",
      "latency, time to first byte, error and 429 rates, calls and breaker state over the last 5 minutes,",
      "from the statistics the gateway instances merge into the counters table."
    })
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin TableOptions table;

  @Option(names = "--model", paramLabel = "ALIAS", description = "only this model alias")
  String model;

  private final Clock clock;

  StatusCommand() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, so tests read fixed buckets. */
  StatusCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Instant now = clock.instant();
    ValidatedConfig config;
    TargetStatsStore.ClusterView view;
    try (var client = table.client()) {
      config = new ConfigValidator(ConfigFile.catalog()).validate(new DynamoDbConfigSource(client, table.configTable()).load(), now);
      Instant bucket = now.truncatedTo(ChronoUnit.MINUTES);
      view = new DynamoDbTargetStatsStore(client, table.countersTable())
          .read(bucket.minus(SharedTargetStats.HORIZON).plus(Duration.ofMinutes(1)), bucket, now);
    }
    PrintWriter err = spec.commandLine().getErr();
    config.errors().forEach(error -> err.println("tollgate: ignored an invalid config item: " + error.message()));
    PrintWriter out = spec.commandLine().getOut();
    out.print(render(config.config(), view, model, now));
    out.flush();
    return 0;
  }

  /** The table: one line per target, grouped by alias in name order. */
  static String render(GatewayConfig config, TargetStatsStore.ClusterView view, String onlyAlias, Instant now) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"ALIAS", "STRATEGY", "TARGET", "PRIO", "WEIGHT", "SHARE", "LATENCY", "TTFT", "ERRORS", "429",
        "CALLS", "BREAKER"});
    config.routes().values().stream()
        .filter(route -> onlyAlias == null || route.alias().equals(onlyAlias))
        .sorted(java.util.Comparator.comparing(Route::alias))
        .forEach(route -> RouteStatus.of(route, view, config.prices(), now).forEach(line -> {
          TargetHealth health = line.health();
          boolean known = health.calls() > 0;
          lines.add(new String[] {
            line.alias(),
            line.strategy().label(),
            line.target().id(),
            Integer.toString(line.target().priority()),
            Integer.toString(line.target().weight()),
            percent(line.share()),
            millis(health.latencyMs()),
            millis(health.ttftMs()),
            known ? percent(health.errorRate()) : "-",
            known ? percent(health.rate429()) : "-",
            Long.toString(health.calls()),
            line.breaker()
          });
        }));
    return TextTable.render(lines, column -> column >= 3 && column <= 10, System.lineSeparator());
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String millis(double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.0f ms", ms);
  }
}
