package dev.tollgate.limit;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured limit: how much of {@code metric} the requests it matches may use per
 * {@code window}, counted separately for each value of its {@code scope} (empty: one global
 * counter).
 *
 * @param limit the allowance per window; for {@link Metric#COST_USD} in micro-dollars
 * @param defaultMaxTokens the completion allowance reserved when the client sets no {@code max_tokens}
 * @param clampMaxTokens whether to lower a client's {@code max_tokens} to what the budget has left
 */
public record LimitPolicy(
    String name,
    Metric metric,
    long limit,
    Window window,
    List<LimitScope> scope,
    LimitMatch match,
    Mode mode,
    StoreFailure onStoreFailure,
    long defaultMaxTokens,
    boolean clampMaxTokens) {

  /** What a policy counts. */
  public enum Metric {
    TOTAL_TOKENS("totalTokens"),
    PROMPT_TOKENS("promptTokens"),
    COMPLETION_TOKENS("completionTokens"),
    REQUESTS("requests"),
    /** Cost from the target's prices, in micro-dollars so counters stay whole numbers. */
    COST_USD("costUsd");

    private final String configName;

    Metric(String configName) {
      this.configName = configName;
    }

    /** How config spells it, e.g. {@code totalTokens}. */
    public String configName() {
      return configName;
    }
  }

  /** Where the counters live. */
  public enum Mode {
    /** DynamoDB atomic counters: exact across every gateway instance. */
    CLUSTER,
    /** Each instance's memory: no DynamoDB call, and the limit holds per instance only. */
    LOCAL
  }

  /** What to do with a request when the counter store cannot answer. */
  public enum StoreFailure {
    FAIL_OPEN,
    FAIL_CLOSED
  }

  /** Letters, digits and {@code . _ -}: never {@code #}, which joins the parts of counter keys. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  public static final long DEFAULT_MAX_TOKENS = 1024;
  /** The largest completion allowance a policy may assume; far above any model's output limit. */
  public static final long MAX_TOKENS_CEILING = 10_000_000;
  /** Micro-dollars per US dollar. */
  public static final long MICROS_PER_USD = 1_000_000;

  public LimitPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(onStoreFailure, "onStoreFailure");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("policy name must be 1 to 64 of letters, digits and . _ -, was '" + name + "'");
    }
    if (limit < 1 || limit > Draw.MAX) {
      throw new IllegalArgumentException("limit must be 1 to " + Draw.MAX + ", was " + limit);
    }
    if (defaultMaxTokens < 1 || defaultMaxTokens > MAX_TOKENS_CEILING) {
      throw new IllegalArgumentException("defaultMaxTokens must be 1 to " + MAX_TOKENS_CEILING + ", was " + defaultMaxTokens);
    }
    scope = List.copyOf(scope);
    if (new HashSet<>(scope).size() != scope.size()) {
      throw new IllegalArgumentException("scope lists a part twice: " + scope);
    }
  }

  /** Whether the policy keeps one counter for all matching requests. */
  public boolean global() {
    return scope.isEmpty();
  }
}
