package dev.tollgate.limit;

import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import java.util.Optional;

/**
 * One policy's draw for one attempt, and how that policy's metric turns an estimate or the real
 * usage into an amount: tokens, requests or micro-dollars.
 */
record PlannedDraw(LimitPolicy policy, Draw draw) {

  /** What {@code policy} reserves for a request of {@code promptTokens} allowed {@code allowance} answer tokens. */
  static long estimate(LimitPolicy policy, long promptTokens, long allowance, Optional<ModelPrice> price) {
    return bounded(
        switch (policy.metric()) {
          case TOTAL_TOKENS -> promptTokens + allowance;
          case PROMPT_TOKENS -> promptTokens;
          case COMPLETION_TOKENS -> allowance;
          case REQUESTS -> 1;
          case COST_USD ->
              price.map(p -> CostCalculator.microDollars(new Usage(promptTokens, allowance, promptTokens + allowance), p)).orElse(0L);
        });
  }

  /** What {@code policy} is charged once the call used {@code usage} on {@code target}. */
  static long actual(LimitPolicy policy, Usage usage, Target target, CostCalculator costs) {
    return bounded(
        switch (policy.metric()) {
          case TOTAL_TOKENS -> usage.totalTokens();
          case PROMPT_TOKENS -> usage.promptTokens();
          case COMPLETION_TOKENS -> usage.completionTokens();
          case REQUESTS -> 1;
          case COST_USD -> costs.microDollars(usage, target).orElse(0);
        });
  }

  private static long bounded(long amount) {
    return Math.clamp(amount, 0, Draw.MAX);
  }

  /** Whether another target could change this draw: a per-target counter or filter, or a price. */
  boolean dependsOnTarget() {
    return policy.scope().stream().anyMatch(part -> part.kind() == LimitScope.Kind.TARGET)
        || !policy.match().targets().isEmpty()
        || policy.metric() == LimitPolicy.Metric.COST_USD;
  }
}
