package dev.tollgate.limit;

import dev.tollgate.api.ApiError;
import java.time.Duration;

/**
 * The errors limits answer with, in OpenAI's shape: 429 naming the policy that was hit (never
 * whose counter it was), and 503 when the counters cannot be reached and the policy fails closed.
 */
final class LimitErrors {

  static final String RATE_LIMITED = "rate_limit_exceeded";
  static final String BUDGET_EXCEEDED = "budget_exceeded";
  static final String STORE_UNAVAILABLE = "limit_store_unavailable";

  private LimitErrors() {}

  /** 429 for a draw that did not fit; Retry-After is when it would, at least a second. */
  static ApiError rejected(LimitPolicy policy, long requested, long remaining, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    String what = describe(policy);
    String message =
        requested > policy.limit()
            ? "Request too large for limit policy '" + policy.name() + "' (" + what + "): it needs "
                + amount(policy, requested) + ", more than the whole limit. Lower max_tokens or shorten the input."
            : "Rate limit reached for limit policy '" + policy.name() + "' (" + what + "): this request needs "
                + amount(policy, requested) + ", " + amount(policy, remaining) + " remaining. Try again in "
                + RateLimitHeaders.duration(retryAfter) + ".";
    return new ApiError(429, message, type(policy), null, code(policy), seconds);
  }

  /** 503 for a fail-closed policy whose counters could not be reached. */
  static ApiError storeUnavailable(LimitPolicy policy) {
    return new ApiError(
        503,
        "The limit counters for policy '" + policy.name() + "' cannot be reached, and it refuses requests until they can."
            + " Try again shortly.",
        ApiError.SERVER,
        null,
        STORE_UNAVAILABLE,
        1);
  }

  private static String describe(LimitPolicy policy) {
    return policy.metric().configName() + " " + amount(policy, policy.limit()) + " per "
        + policy.window().describe() + " window";
  }

  private static String amount(LimitPolicy policy, long value) {
    return policy.metric() == LimitPolicy.Metric.COST_USD ? "$" + RateLimitHeaders.usd(value) : Long.toString(value);
  }

  private static String type(LimitPolicy policy) {
    return switch (policy.metric()) {
      case REQUESTS -> "requests";
      case COST_USD -> "budget";
      default -> "tokens";
    };
  }

  private static String code(LimitPolicy policy) {
    return policy.metric() == LimitPolicy.Metric.COST_USD ? BUDGET_EXCEEDED : RATE_LIMITED;
  }
}
