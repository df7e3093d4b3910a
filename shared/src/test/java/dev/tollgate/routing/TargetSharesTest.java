package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shares each strategy gives, by its documented formula. */
class TargetSharesTest {

  private static Target target(String id, int weight) {
    return new Target(id, "chat", "mock", "m", "http://x", Optional.empty(), weight, 1, Duration.ofSeconds(5), true,
        BigDecimal.ZERO, BigDecimal.ZERO, Map.of());
  }

  private static final Target A = target("a", 1);
  private static final Target B = target("b", 3);
  private static final Target C = target("c", 1);

  private static TargetHealth health(long calls, double latencyMs, double errorRate, double rate429) {
    return new TargetHealth(calls, latencyMs, Double.NaN, errorRate, rate429, 0);
  }

  private static Map<String, Double> shares(
      Strategy strategy, Map<Target, TargetHealth> health, Map<Target, Double> cost, List<Target> candidates) {
    TargetShares.Inputs inputs =
        new TargetShares.Inputs(
            t -> health.getOrDefault(t, TargetHealth.NONE),
            t -> cost.containsKey(t) ? OptionalDouble.of(cost.get(t)) : OptionalDouble.empty(),
            false);
    return TargetShares.of(strategy, 0.05, candidates, inputs).stream()
        .collect(Collectors.toMap(s -> s.target().id(), TargetShares.Share::share));
  }

  @Test
  void weightedIsTheStaticWeights() {
    assertEquals(Map.of("a", 0.25, "b", 0.75), shares(Strategy.WEIGHTED, Map.of(), Map.of(), List.of(A, B)));
  }

  @Test
  void latencyGivesTheFastestHealthyTargetAllButTheProbeShareAndTheOthersTheRestByWeight() {
    Map<String, Double> shares =
        shares(Strategy.LATENCY, Map.of(A, health(5, 300, 0, 0), B, health(9, 100, 0.6, 0), C, health(5, 200, 0.1, 0)),
            Map.of(), List.of(A, B, C));

    assertEquals(0.95, shares.get("c"), 1e-9, "b is faster but fails too often to be healthy");
    assertEquals(0.05 * 1 / 4, shares.get("a"), 1e-9);
    assertEquals(0.05 * 3 / 4, shares.get("b"), 1e-9);
  }

  @Test
  void latencyIsWeightedUntilEveryTargetHasFiveCalls() {
    assertEquals(Map.of("a", 0.25, "b", 0.75),
        shares(Strategy.LATENCY, Map.of(A, health(50, 10, 0, 0), B, health(4, 900, 0, 0)), Map.of(), List.of(A, B)));
  }

  @Test
  void costFavoursTheCheapestPricedHealthyTargetAndIsWeightedWithoutPrices() {
    assertEquals(0.95, shares(Strategy.COST, Map.of(), Map.of(A, 0.002, B, 0.001), List.of(A, B)).get("b"), 1e-9);
    assertEquals(0.95,
        shares(Strategy.COST, Map.of(B, health(10, 1, 0.9, 0)), Map.of(A, 0.002, B, 0.001), List.of(A, B)).get("a"), 1e-9);
    assertEquals(Map.of("a", 0.25, "b", 0.75), shares(Strategy.COST, Map.of(), Map.of(), List.of(A, B)));
  }

  @Test
  void balancedMultipliesWeightHealthCostAndLatencyFactors() {
    // a: weight 1, health (1-0.2)^2*(1-0.1)=0.576, cost factor 1, latency factor 1 -> 0.576
    // b: weight 3, health 1, cost factor 0.001/0.004=0.25, latency factor 100/400=0.25 -> 0.1875
    Map<String, Double> shares =
        shares(Strategy.BALANCED, Map.of(A, health(20, 100, 0.2, 0.1), B, health(20, 400, 0, 0)),
            Map.of(A, 0.001, B, 0.004), List.of(A, B));

    assertEquals(0.576 / (0.576 + 0.1875), shares.get("a"), 1e-9);
    assertEquals(0.1875 / (0.576 + 0.1875), shares.get("b"), 1e-9);
  }

  @Test
  void balancedCountsAFreeTargetAsTheCheapestSoPaidSiblingsGetTheFloor() {
    // a: free (self-hosted) -> cost factor 1; b: paid -> cheapest / cost = 0 / 0.002 -> clamped to 0.05
    Map<String, Double> shares = shares(Strategy.BALANCED, Map.of(), Map.of(A, 0.0, B, 0.002), List.of(A, B));

    double a = 1;
    double b = 3 * 0.05;
    assertEquals(a / (a + b), shares.get("a"), 1e-9);
    assertEquals(b / (a + b), shares.get("b"), 1e-9);
  }

  @Test
  void balancedFactorsAreClampedAndMissingDataCountsAsOne() {
    // a: health (1-1)^2 = 0 -> clamped to 0.05; b: latency 1/1000 -> 0.05; c: no stats, no price -> 1
    Map<String, Double> shares =
        shares(Strategy.BALANCED, Map.of(A, health(20, 1, 1, 0), B, health(20, 1000, 0, 0)), Map.of(), List.of(A, B, C));

    double a = 0.05;
    double b = 3 * 0.05;
    double c = 1;
    assertEquals(a / (a + b + c), shares.get("a"), 1e-9);
    assertEquals(c / (a + b + c), shares.get("c"), 1e-9);
  }

  @Test
  void aStreamedRequestGoesByTimeToFirstByteWhereKnown() {
    Map<Target, TargetHealth> health = Map.of(
        A, new TargetHealth(10, 900, 50, 0, 0, 0), // slow to finish, quick to start
        B, new TargetHealth(10, 300, 250, 0, 0, 0));
    TargetShares.Inputs streamed = new TargetShares.Inputs(health::get, t -> OptionalDouble.empty(), true);
    TargetShares.Inputs whole = new TargetShares.Inputs(health::get, t -> OptionalDouble.empty(), false);

    assertEquals(0.95, TargetShares.of(Strategy.LATENCY, 0.05, List.of(A, B), streamed).getFirst().share(), 1e-9);
    assertEquals(0.95, TargetShares.of(Strategy.LATENCY, 0.05, List.of(A, B), whole).get(1).share(), 1e-9);
  }

  @Test
  void aLoneTargetTakesEverything() {
    assertEquals(Map.of("a", 1.0), shares(Strategy.LATENCY, Map.of(), Map.of(), List.of(A)));
  }
}
