package dev.tollgate.routing;

import dev.tollgate.limit.CostCalculator;
import dev.tollgate.limit.ModelPrice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a route shares its traffic now, target by target, from the cluster's view: what
 * {@code tollgate status} prints. The shares come from {@link TargetShares}, as in the gateway,
 * for a typical non-streamed request of {@link #TYPICAL_PROMPT_TOKENS} prompt tokens and the default
 * answer allowance; a paused target gets no share and the others of its tier share its part.
 */
public final class RouteStatus {

  /** The prompt size the cost strategies are shown for. */
  public static final long TYPICAL_PROMPT_TOKENS = 1_000;

  /**
   * One target's line.
   *
   * @param share of its tier's traffic (0 to 1)
   * @param pausedUntil when a breaker or {@code Retry-After} pause ends, if one is in force
   */
  public record TargetLine(
      String alias,
      Strategy strategy,
      Target target,
      double share,
      TargetHealth health,
      Optional<Instant> pausedUntil) {

    /** {@code closed}, {@code open until <instant>}, or {@code disabled} for a target that takes no traffic. */
    public String breaker() {
      if (!target.selectable()) {
        return "disabled";
      }
      return pausedUntil.map(until -> "open until " + until).orElse("closed");
    }
  }

  private RouteStatus() {}

  /** The lines of every target of {@code route}, in priority order. */
  public static List<TargetLine> of(
      Route route, TargetStatsStore.ClusterView view, Map<String, ModelPrice> prices, Instant now) {
    CostCalculator costs = new CostCalculator(prices);
    TargetShares.Inputs inputs =
        new TargetShares.Inputs(
            target -> health(view, target),
            target -> ExpectedCost.of(target, costs, TYPICAL_PROMPT_TOKENS, ExpectedCost.DEFAULT_COMPLETION_TOKENS),
            false);
    List<TargetLine> lines = new ArrayList<>();
    for (Target target : route.targets()) {
      Optional<Instant> paused = paused(view, target, now);
      List<Target> tier =
          route.targets().stream()
              .filter(t -> t.priority() == target.priority() && t.selectable() && paused(view, t, now).isEmpty())
              .toList();
      double share =
          TargetShares.of(route.strategy(), route.probeShare(), tier, inputs).stream()
              .filter(s -> s.target().equals(target))
              .mapToDouble(TargetShares.Share::share)
              .findFirst()
              .orElse(0);
      lines.add(new TargetLine(route.alias(), route.strategy(), target, share, health(view, target), paused));
    }
    return lines;
  }

  private static TargetHealth health(TargetStatsStore.ClusterView view, Target target) {
    StatsDelta sums = view.sums().get(TargetStats.key(target));
    return sums == null ? TargetHealth.NONE : sums.health();
  }

  private static Optional<Instant> paused(TargetStatsStore.ClusterView view, Target target, Instant now) {
    Instant until = view.pausedUntil().get(TargetStats.key(target));
    return until != null && until.isAfter(now) ? Optional.of(until) : Optional.empty();
  }
}
