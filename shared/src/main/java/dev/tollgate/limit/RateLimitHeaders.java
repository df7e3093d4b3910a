package dev.tollgate.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * OpenAI's rate-limit headers ({@code x-ratelimit-limit-tokens}, {@code -remaining-tokens},
 * {@code -reset-tokens} and the {@code -requests} trio) from the counters a request drew on. When
 * several token (or request) policies apply, the one with the least left speaks, as it is the one
 * that will refuse first. Cost budgets have no OpenAI header; they report as
 * {@code x-tollgate-budget-*} in USD.
 */
final class RateLimitHeaders {

  static final String TOKENS = "tokens";
  static final String REQUESTS = "requests";
  static final String BUDGET_LIMIT = "x-tollgate-budget-limit-usd";
  static final String BUDGET_REMAINING = "x-tollgate-budget-remaining-usd";
  static final String BUDGET_RESET = "x-tollgate-budget-reset";

  private RateLimitHeaders() {}

  /** Removes what an earlier attempt (a skipped target) wrote. */
  static void clear(Map<String, String> headers) {
    headers.keySet().removeIf(name -> name.startsWith("x-ratelimit-") || name.startsWith("x-tollgate-budget-") || name.equals("retry-after-ms"));
  }

  /** Writes one counter's numbers, unless a counter of the same kind already written has less left. */
  static void put(Map<String, String> headers, LimitPolicy policy, long used, Duration reset) {
    long remaining = Math.max(0, policy.limit() - used);
    if (policy.metric() == LimitPolicy.Metric.COST_USD) {
      if (lessLeft(headers, BUDGET_REMAINING, remaining, true)) {
        headers.put(BUDGET_LIMIT, usd(policy.limit()));
        headers.put(BUDGET_REMAINING, usd(remaining));
        headers.put(BUDGET_RESET, duration(reset));
      }
      return;
    }
    String kind = policy.metric() == LimitPolicy.Metric.REQUESTS ? REQUESTS : TOKENS;
    if (lessLeft(headers, "x-ratelimit-remaining-" + kind, remaining, false)) {
      headers.put("x-ratelimit-limit-" + kind, Long.toString(policy.limit()));
      headers.put("x-ratelimit-remaining-" + kind, Long.toString(remaining));
      headers.put("x-ratelimit-reset-" + kind, duration(reset));
    }
  }

  /** The time until the counter is back to its full allowance if nothing else is used. */
  static Duration reset(Window window, Instant now) {
    Instant bucketEnd = window.bucketStart(now).plus(window.length());
    // A sliding window still remembers the current bucket for one more length.
    Instant clear = window.kind() == Window.Kind.FIXED ? bucketEnd : bucketEnd.plus(window.length());
    return Duration.between(now, clear);
  }

  private static boolean lessLeft(Map<String, String> headers, String name, long remaining, boolean usd) {
    String written = headers.get(name);
    if (written == null) {
      return true;
    }
    long before = usd ? new java.math.BigDecimal(written).movePointRight(6).longValue() : Long.parseLong(written);
    return remaining < before;
  }

  /** Micro-dollars as a plain USD amount, e.g. {@code 25.5} or {@code 0.000125}. */
  static String usd(long micros) {
    return java.math.BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros().toPlainString();
  }

  /** A duration the way OpenAI writes it: {@code 20ms}, {@code 1s}, {@code 8.64s}, {@code 6m0s}, {@code 1h2m3s}. */
  static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    String seconds =
        java.math.BigDecimal.valueOf(millis % 60_000).movePointLeft(3).stripTrailingZeros().toPlainString();
    if (hours > 0) {
      return hours + "h" + minutes + "m" + seconds + "s";
    }
    return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
  }
}
