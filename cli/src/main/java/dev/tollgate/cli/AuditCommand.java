package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.audit.AuditTime;
import dev.tollgate.aws.DynamoDbAuditReader;
import dev.tollgate.pipeline.Verdict;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tollgate audit}: one consumer's audit records in a time range, newest first. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "List a consumer's audit records, newest first: time, request id, model, targets tried, status,",
      "tokens, cost, time and policy verdicts. Reads the audit table's byConsumer index.",
      "Requests that never authenticated are listed under the consumer '" + AuditRecord.NO_CONSUMER + "'."
    })
final class AuditCommand implements Callable<Integer> {

  private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");
  private static final String[] HEADER = {"AT", "REQUEST ID", "MODEL", "TARGETS", "STATUS", "IN", "OUT", "COST", "MS", "VERDICTS"};
  /** The numeric columns (tokens, cost, time), right-aligned. */
  private static final int FIRST_NUMBER = 5;
  private static final int LAST_NUMBER = 8;

  @Spec CommandSpec spec;

  @Mixin TableOptions table;

  @Option(names = "--consumer", required = true, paramLabel = "NAME", description = "whose records")
  String consumer;

  @Option(names = "--since", defaultValue = "1h", paramLabel = "WHEN",
      description = "from this long ago (30m, 1h, 7d) or this instant (2026-01-02T03:04:05Z); default ${DEFAULT-VALUE}")
  String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "up to this long ago or this instant; default now")
  String until;

  @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "at most this many records; default ${DEFAULT-VALUE}")
  int limit;

  @Option(names = "--json", description = "print the records as a JSON array, every field")
  boolean json;

  private final Clock clock;

  AuditCommand() {
    this(Clock.systemUTC());
  }

  /** With a fixed clock, so tests see fixed ranges. */
  AuditCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    Instant now = clock.instant();
    Instant from = when("--since", since, now);
    Instant to = until == null ? now : when("--until", until, now);
    List<AuditRecord> records;
    try (var client = table.client()) {
      records = new DynamoDbAuditReader(client, table.auditTable()).byConsumer(consumer, from, to, limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = Json.array();
      records.forEach(record -> array.add(record.toJson()));
      out.println(Json.text(array));
    } else if (records.isEmpty()) {
      out.println("No audit records of consumer '" + consumer + "' in " + table.auditTable() + " from "
          + AuditTime.format(from) + " to " + AuditTime.format(to) + ".");
    } else {
      out.print(table(records));
    }
    out.flush();
    return 0;
  }

  /** A duration back from {@code now} ({@code 90m}) or an ISO-8601 instant. */
  private Instant when(String option, String value, Instant now) {
    Matcher ago = AGO.matcher(value.trim());
    if (ago.matches()) {
      long amount = Long.parseLong(ago.group(1));
      Duration duration = switch (ago.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return now.minus(duration);
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(), option + " '" + value + "': expected a duration like 30m, 1h, 7d or an instant like 2026-01-02T03:04:05Z");
    }
  }

  static String table(List<AuditRecord> records) {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    for (AuditRecord record : records) {
      lines.add(
          new String[] {
            AuditTime.format(record.at()),
            record.requestId(),
            record.alias().isEmpty() ? "-" : record.alias(),
            targets(record),
            record.outcome().equals("ok") || record.outcome().startsWith("error") || record.outcome().isEmpty()
                ? Integer.toString(record.status())
                : record.status() + " (" + record.outcome() + ")",
            String.format(Locale.ROOT, "%,d", record.tokensIn()),
            String.format(Locale.ROOT, "%,d", record.tokensOut()),
            record.costUsd() == null ? "-" : "$" + record.costUsd().stripTrailingZeros().toPlainString(),
            String.format(Locale.ROOT, "%.0f", record.overheadMs() + record.upstreamMs()),
            verdicts(record)
          });
    }
    // The last column (verdicts) is left-aligned, so trailing padding is stripped with the line.
    return TextTable.render(lines, i -> i >= FIRST_NUMBER && i <= LAST_NUMBER, "\n");
  }

  /** The targets tried, the failed ones marked: {@code a!,b}. */
  private static String targets(AuditRecord record) {
    if (record.attempts().isEmpty()) {
      return "-";
    }
    List<String> tried = new ArrayList<>();
    for (AuditRecord.AttemptEntry attempt : record.attempts()) {
      tried.add(attempt.outcome().equals("ok") ? attempt.target() : attempt.target() + "!");
    }
    return String.join(",", tried);
  }

  private static String verdicts(AuditRecord record) {
    List<String> decided = new ArrayList<>();
    for (Verdict verdict : record.verdicts()) {
      decided.add(verdict.stage() + ":" + verdict.policy() + "=" + verdict.action());
    }
    if (record.moderation() != null) {
      decided.add("moderation=" + record.moderation());
    }
    return decided.isEmpty() ? "-" : String.join(" ", decided);
  }
}
