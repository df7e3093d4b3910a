package dev.tollgate.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The share of traffic each target of one priority tier gets under its route's {@link Strategy}:
 * the gateway picks by these shares and {@code tollgate status} prints them, so both come from here.
 */
public final class TargetShares {

  /** A target has statistics once this many of its calls are known; before, strategies fall back to weight. */
  public static final int MIN_CALLS = 5;
  /** A target whose error rate reaches this is not healthy: never the latency or cost favourite. */
  public static final double UNHEALTHY_ERROR_RATE = 0.5;
  /** The floor (and ceiling 1) of each factor of the balanced strategy. */
  public static final double MIN_FACTOR = 0.05;

  /** One target and its share of the tier's traffic (0 to 1; a tier's shares add up to 1). */
  public record Share(Target target, double share) {}

  /** What the shares depend on besides the targets. */
  public record Inputs(
      Function<Target, TargetHealth> health, Function<Target, OptionalDouble> expectedCost, boolean streamed) {}

  private TargetShares() {}

  /** The shares of {@code candidates} (one tier's targets, already without paused ones). */
  public static List<Share> of(Strategy strategy, double probeShare, List<Target> candidates, Inputs inputs) {
    if (candidates.size() <= 1) {
      return candidates.stream().map(target -> new Share(target, 1)).toList();
    }
    return switch (strategy) {
      case WEIGHTED -> weighted(candidates);
      case LATENCY -> latency(probeShare, candidates, inputs);
      case COST -> cost(probeShare, candidates, inputs);
      case BALANCED -> balanced(candidates, inputs);
    };
  }

  static List<Share> weighted(List<Target> candidates) {
    double total = candidates.stream().mapToDouble(Target::weight).sum();
    return candidates.stream().map(target -> new Share(target, total == 0 ? 0 : target.weight() / total)).toList();
  }

  /** The fastest healthy target gets {@code 1 - probeShare}; until every target has {@link #MIN_CALLS}, by weight. */
  private static List<Share> latency(double probeShare, List<Target> candidates, Inputs inputs) {
    Target fastest = null;
    double best = Double.POSITIVE_INFINITY;
    for (Target target : candidates) {
      TargetHealth health = inputs.health().apply(target);
      if (health.calls() < MIN_CALLS) {
        return weighted(candidates);
      }
      double latency = health.latencyFor(inputs.streamed());
      if (healthy(health) && !Double.isNaN(latency) && latency < best) {
        best = latency;
        fastest = target;
      }
    }
    return favourite(fastest, probeShare, candidates);
  }

  /** The cheapest healthy target with a known price gets {@code 1 - probeShare}; none priced, by weight. */
  private static List<Share> cost(double probeShare, List<Target> candidates, Inputs inputs) {
    Target cheapest = null;
    double best = Double.POSITIVE_INFINITY;
    for (Target target : candidates) {
      OptionalDouble cost = inputs.expectedCost().apply(target);
      TargetHealth health = inputs.health().apply(target);
      boolean healthy = health.calls() < MIN_CALLS || healthy(health);
      if (healthy && cost.isPresent() && cost.getAsDouble() < best) {
        best = cost.getAsDouble();
        cheapest = target;
      }
    }
    return favourite(cheapest, probeShare, candidates);
  }

  /**
   * weight x health x costFactor x latencyFactor, each factor clamped to [0.05, 1]: health =
   * (1 - errorRate)^2 x (1 - rate429), costFactor = cheapest / cost, latencyFactor = fastest / latency.
   * A factor without data (fewer than {@link #MIN_CALLS} calls, no price) is 1.
   */
  private static List<Share> balanced(List<Target> candidates, Inputs inputs) {
    double cheapest = Double.POSITIVE_INFINITY;
    double fastest = Double.POSITIVE_INFINITY;
    for (Target target : candidates) {
      OptionalDouble cost = inputs.expectedCost().apply(target);
      if (cost.isPresent()) { // a free target (price 0, self-hosted) is the cheapest there is
        cheapest = Math.min(cheapest, cost.getAsDouble());
      }
      TargetHealth health = inputs.health().apply(target);
      double latency = health.latencyFor(inputs.streamed());
      if (health.calls() >= MIN_CALLS && !Double.isNaN(latency)) {
        fastest = Math.min(fastest, Math.max(latency, 0.001));
      }
    }
    List<Double> effective = new ArrayList<>();
    double total = 0;
    for (Target target : candidates) {
      TargetHealth health = inputs.health().apply(target);
      boolean known = health.calls() >= MIN_CALLS;
      double healthFactor = known ? clamp(Math.pow(1 - health.errorRate(), 2) * (1 - health.rate429())) : 1;
      OptionalDouble cost = inputs.expectedCost().apply(target);
      double costFactor = cost.isEmpty() || cost.getAsDouble() <= 0 ? 1 : clamp(cheapest / cost.getAsDouble());
      double latency = health.latencyFor(inputs.streamed());
      double latencyFactor = known && !Double.isNaN(latency) ? clamp(fastest / Math.max(latency, 0.001)) : 1;
      double weight = target.weight() * healthFactor * costFactor * latencyFactor;
      effective.add(weight);
      total += weight;
    }
    List<Share> shares = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      shares.add(new Share(candidates.get(i), total == 0 ? 0 : effective.get(i) / total));
    }
    return shares;
  }

  /** {@code favourite} gets {@code 1 - probeShare}, the others share the probe by weight; none, by weight. */
  private static List<Share> favourite(Target favourite, double probeShare, List<Target> candidates) {
    if (favourite == null) {
      return weighted(candidates);
    }
    double others = candidates.stream().filter(t -> t != favourite).mapToDouble(Target::weight).sum();
    return candidates.stream()
        .map(target -> new Share(target, target == favourite ? 1 - probeShare : probeShare * target.weight() / others))
        .toList();
  }

  static boolean healthy(TargetHealth health) {
    return health.errorRate() < UNHEALTHY_ERROR_RATE;
  }

  private static double clamp(double factor) {
    return Math.clamp(factor, MIN_FACTOR, 1);
  }
}
