package dev.tollgate.cli;

import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.WindowUsage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One live counter as {@code tollgate usage} shows it: the policy, the scope values, the usage of
 * the window that counts now, and the keys of its items ({@code previousSk} only when a sliding
 * window's previous bucket still counts).
 */
record UsageRow(LimitPolicy policy, Map<String, String> scope, WindowUsage usage, String pk, String sk, String previousSk) {

  UsageRow {
    scope = Collections.unmodifiableMap(new LinkedHashMap<>(scope)); // keeps the policy's order
  }

  long used() {
    return usage.used();
  }

  long limit() {
    return policy.limit();
  }

  long remaining() {
    return usage.remaining(policy.limit());
  }

  /** Used as a percentage of the limit; above 100 when settled usage passed the estimate. */
  double usedPercent() {
    return used() * 100.0 / limit();
  }

  Instant windowStart() {
    return policy.window().start(usage.now()).truncatedTo(ChronoUnit.SECONDS);
  }

  Instant windowEnd() {
    return policy.window().end(usage.now()).truncatedTo(ChronoUnit.SECONDS);
  }

  /** The scope values joined by spaces, e.g. {@code consumer=alice route=gpt-4o}; {@code (all)} for a global counter. */
  String scopeText() {
    if (scope.isEmpty()) {
      return "(all)";
    }
    return scope.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
