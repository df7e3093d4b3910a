package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.LimitPolicy.Metric;
import dev.tollgate.limit.Window;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders {@code tollgate usage} rows as an aligned table or as a JSON array. */
final class UsageFormat {

  private static final String[] HEADER = {"POLICY", "METRIC", "SCOPE", "WINDOW", "START", "END", "USED", "LIMIT", "REMAINING", "USED%"};
  /** The numeric columns, right-aligned. */
  private static final int FIRST_NUMBER = 6;

  private UsageFormat() {}

  /** The config spelling of a metric, e.g. {@code totalTokens}. */
  static String metric(Metric metric) {
    return metric.configName();
  }

  /** The window as people say it, e.g. {@code 1m fixed} or {@code 1d sliding}, in the largest exact unit. */
  static String window(Window window) {
    return window.describe();
  }

  /** Dollars from micro-dollars, with cents at least: 25500000 is {@code 25.50}, 150 is {@code 0.00015}. */
  static BigDecimal usd(long micros) {
    BigDecimal dollars = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return dollars.scale() < 2 ? dollars.setScale(2, RoundingMode.UNNECESSARY) : dollars;
  }

  /** An amount of the policy's metric as shown in the table: dollars for cost, else a count in groups of three digits. */
  static String amount(LimitPolicy policy, long value) {
    return policy.metric() == Metric.COST_USD ? "$" + usd(value).toPlainString() : String.format(Locale.ROOT, "%,d", value);
  }

  static String percent(UsageRow row) {
    return String.format(Locale.ROOT, "%.1f%%", row.usedPercent());
  }

  static String table(List<UsageRow> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    for (UsageRow row : rows) {
      lines.add(
          new String[] {
            row.policy().name(),
            metric(row.policy().metric()),
            row.scopeText(),
            window(row.policy().window()),
            row.windowStart().toString(),
            row.windowEnd().toString(),
            amount(row.policy(), row.used()),
            amount(row.policy(), row.limit()),
            amount(row.policy(), row.remaining()),
            percent(row)
          });
    }
    return TextTable.render(lines, i -> i >= FIRST_NUMBER, System.lineSeparator());
  }

  static String json(List<UsageRow> rows) {
    ArrayNode array = Json.array();
    rows.forEach(row -> array.add(json(row)));
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode json(UsageRow row) {
    LimitPolicy policy = row.policy();
    ObjectNode node = Json.object();
    node.put("policy", policy.name());
    node.put("metric", metric(policy.metric()));
    ObjectNode scope = node.putObject("scope");
    row.scope().forEach(scope::put);
    node.put("window", window(policy.window()));
    node.put("windowStart", row.windowStart().toString());
    node.put("windowEnd", row.windowEnd().toString());
    boolean cost = policy.metric() == Metric.COST_USD;
    node.put("unit", cost ? "usd" : policy.metric() == Metric.REQUESTS ? "requests" : "tokens");
    putAmount(node, "used", row.used(), cost);
    putAmount(node, "limit", row.limit(), cost);
    putAmount(node, "remaining", row.remaining(), cost);
    node.put("usedPercent", BigDecimal.valueOf(row.usedPercent()).setScale(1, RoundingMode.HALF_UP));
    node.put("pk", row.pk());
    if (row.sk() != null) {
      node.put("sk", row.sk());
    }
    if (row.previousSk() != null) {
      node.put("previousSk", row.previousSk());
    }
    return node;
  }

  private static void putAmount(ObjectNode node, String name, long value, boolean cost) {
    if (cost) {
      node.put(name, usd(value));
    } else {
      node.put(name, value);
    }
  }
}
