package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.LimitMatch;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.LimitPolicy.Metric;
import dev.tollgate.limit.LimitPolicy.Mode;
import dev.tollgate.limit.LimitPolicy.StoreFailure;
import dev.tollgate.limit.LimitScope;
import dev.tollgate.limit.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks one limit policy item ({@code pk = limit#NAME}, {@code sk = limit}). Whether
 * the targets it names exist is checked once all items are read, by {@link #checkTargets}.
 */
final class LimitReader {

  static final String NAME_EXPECTED = "'limit#' followed by a policy name of 1 to 64 characters: letters, digits and . _ -";
  static final String WINDOW_EXPECTED = "a window length like 30s, 1m, 1h, 1d or 30d (s, m, h, d; from 1s to 31d)";
  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,7})([smhd])");
  private static final Map<String, Metric> METRICS =
      java.util.Arrays.stream(Metric.values()).collect(java.util.stream.Collectors.toMap(Metric::configName, m -> m));
  private static final Map<String, Window.Kind> KINDS = Map.of("fixed", Window.Kind.FIXED, "sliding", Window.Kind.SLIDING);
  private static final Map<String, Mode> MODES = Map.of("cluster", Mode.CLUSTER, "local", Mode.LOCAL);
  private static final Map<String, StoreFailure> STORE_FAILURES =
      Map.of("failOpen", StoreFailure.FAIL_OPEN, "failClosed", StoreFailure.FAIL_CLOSED);
  private static final Set<String> FIELDS =
      Set.of("metric", "limit", "window", "windowKind", "scope", "models", "targets", "groups", "consumers", "mode",
          "onStoreFailure", "defaultMaxTokens", "clampMaxTokens", "description");
  /** The largest cost limit: {@link Draw#MAX} micro-dollars. */
  private static final BigDecimal MAX_USD = BigDecimal.valueOf(Draw.MAX).movePointLeft(6).stripTrailingZeros();

  private LimitReader() {}

  static Optional<LimitPolicy> read(ConfigItem item, ItemReader reader) {
    String name = item.pk().substring(ItemKeys.LIMIT_PREFIX.length());
    if (!LimitPolicy.NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), NAME_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.LIMIT_SK)) {
      reader.failItem("sk to be 'limit' for a limit policy item");
    }
    reader.rejectUnknown(FIELDS);
    Metric metric = oneOf(reader, "metric", METRICS, null);
    long limit = readLimit(reader, metric);
    Duration length = readLength(reader);
    Window.Kind kind = oneOf(reader, "windowKind", KINDS, Window.Kind.FIXED);
    List<LimitScope> scope = readScope(reader);
    LimitMatch match =
        new LimitMatch(
            Set.copyOf(optionalList(reader, "models", ConfigValidator.ALIAS, ConfigValidator.ALIAS_EXPECTED)),
            Set.copyOf(optionalList(reader, "targets", TargetReader.TARGET_ID, "target ids")),
            Set.copyOf(optionalList(reader, "groups", ConfigValidator.NAME, "group names of " + ConfigValidator.NAME_EXPECTED)),
            Set.copyOf(
                optionalList(reader, "consumers", ConfigValidator.NAME, "consumer names of " + ConfigValidator.NAME_EXPECTED)));
    Mode mode = oneOf(reader, "mode", MODES, Mode.CLUSTER);
    StoreFailure onStoreFailure = oneOf(reader, "onStoreFailure", STORE_FAILURES, StoreFailure.FAIL_CLOSED);
    long defaultMaxTokens =
        reader.integer("defaultMaxTokens", LimitPolicy.DEFAULT_MAX_TOKENS, 1, LimitPolicy.MAX_TOKENS_CEILING);
    boolean clamp = reader.bool("clampMaxTokens", false);
    if (clamp && metric != null && metric != Metric.TOTAL_TOKENS && metric != Metric.COMPLETION_TOKENS) {
      // Only an answer allowance can be lowered to fit; anything else would silently do nothing.
      reader.fail("clampMaxTokens", com.fasterxml.jackson.databind.node.BooleanNode.TRUE,
          "false for metric " + metric.configName() + " (clamping lowers max_tokens: totalTokens and completionTokens only)");
    }
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        new LimitPolicy(
            name, metric, limit, new Window(kind, length), scope, match, mode, onStoreFailure, defaultMaxTokens, clamp));
  }

  /**
   * Records an error on the policy's item if its {@code targets} names an id no valid target has:
   * a typo there would silently count nothing.
   */
  static boolean checkTargets(LimitPolicy policy, ItemReader reader, Set<String> targetIds) {
    List<String> unknown = policy.match().targets().stream().filter(id -> !targetIds.contains(id)).sorted().toList();
    if (unknown.isEmpty()) {
      return true;
    }
    reader.failText(
        "targets", String.join(", ", unknown), "ids of configured targets; no valid target has " + (unknown.size() == 1 ? "this id" : "these ids"));
    return false;
  }

  static <T> T oneOf(ItemReader reader, String field, Map<String, T> values, T fallback) {
    String expected = "one of " + String.join(", ", new TreeSet<>(values.keySet()));
    Optional<String> text =
        fallback == null
            ? Optional.ofNullable(reader.requiredString(field, Pattern.compile("(?s).*"), expected))
            : reader.optionalString(field, Pattern.compile("(?s).*"), expected);
    if (text.isEmpty()) {
      return fallback;
    }
    T value = values.get(text.get());
    if (value == null) {
      reader.failText(field, text.get(), expected);
      return fallback;
    }
    return value;
  }

  private static long readLimit(ItemReader reader, Metric metric) {
    if (metric == Metric.COST_USD) {
      String expected = "a USD amount above 0 and up to " + MAX_USD.toPlainString() + ", at most 6 decimal places";
      Optional<JsonNode> value = reader.number("limit", expected);
      if (value.isEmpty()) {
        return 1;
      }
      BigDecimal usd = value.get().decimalValue();
      if (usd.signum() <= 0 || usd.compareTo(MAX_USD) > 0 || usd.stripTrailingZeros().scale() > 6) {
        reader.fail("limit", value.get(), expected);
        return 1;
      }
      return usd.movePointRight(6).longValueExact();
    }
    if (metric == null) {
      // The unit is unknown, so only say what holds for every metric; the metric's error says the rest.
      reader.number("limit", "a number above 0").filter(v -> v.decimalValue().signum() <= 0)
          .ifPresent(v -> reader.fail("limit", v, "a number above 0"));
      return 1;
    }
    if (!reader.has("limit")) {
      reader.fail("limit", null, "an integer from 1 to " + Draw.MAX);
      return 1;
    }
    return reader.integer("limit", 1, 1, Draw.MAX);
  }

  private static Duration readLength(ItemReader reader) {
    String text = reader.requiredString("window", Pattern.compile("(?s).*"), WINDOW_EXPECTED);
    if (text == null) {
      return Window.SHORTEST;
    }
    Optional<Duration> length = windowLength(text);
    if (length.isPresent()) {
      return length.get();
    }
    reader.failText("window", text, WINDOW_EXPECTED);
    return Window.SHORTEST;
  }

  /** A window length as written in config ({@link #WINDOW_EXPECTED}), if it is one. */
  static Optional<Duration> windowLength(String text) {
    Matcher matcher = WINDOW.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      Duration length =
          switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      if (length.compareTo(Window.LONGEST) <= 0) {
        return Optional.of(length);
      }
    }
    return Optional.empty();
  }

  private static List<LimitScope> readScope(ItemReader reader) {
    String expected = "a list of " + LimitScope.SYNTAX + "; empty for one global counter";
    List<String> entries = reader.textList("scope", expected).orElse(List.of());
    List<LimitScope> scope = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String entry : entries) {
      Optional<LimitScope> part = LimitScope.parse(entry);
      if (part.isEmpty()) {
        reader.failText("scope", entry, "each entry one of " + LimitScope.SYNTAX);
      } else if (!seen.add(part.get().toString())) {
        reader.failText("scope", entry, "each entry at most once");
      } else {
        scope.add(part.get());
      }
    }
    return scope;
  }

  private static List<String> optionalList(ItemReader reader, String field, Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }
}
