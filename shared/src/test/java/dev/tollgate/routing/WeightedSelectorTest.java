package dev.tollgate.routing;

import static dev.tollgate.testing.TestTargets.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WeightedSelectorTest {

  private static final int DRAWS = 100_000;
  private static final double TOLERANCE = 0.015;

  @ParameterizedTest
  @ValueSource(longs = {1, 42, 20_261_123})
  void splitsTrafficInProportionToWeight(long seed) {
    WeightedSelector selector = new WeightedSelector(RandomSource.seeded(seed));
    List<Target> candidates = List.of(weighted("a", 60, 1), weighted("b", 30, 1), weighted("c", 10, 1));

    Map<String, Integer> picks = draw(selector, candidates);

    assertShare(0.60, picks.get("a"));
    assertShare(0.30, picks.get("b"));
    assertShare(0.10, picks.get("c"));
  }

  @Test
  void splitDoesNotDependOnCandidateOrder() {
    WeightedSelector selector = new WeightedSelector(RandomSource.seeded(3));
    List<Target> candidates = List.of(weighted("c", 10, 1), weighted("a", 60, 1), weighted("b", 30, 1));

    Map<String, Integer> picks = draw(selector, candidates);

    assertShare(0.60, picks.get("a"));
    assertShare(0.30, picks.get("b"));
    assertShare(0.10, picks.get("c"));
  }

  @Test
  void neverPicksAZeroWeightTarget() {
    WeightedSelector selector = new WeightedSelector(RandomSource.seeded(11));
    List<Target> candidates = List.of(weighted("first", 0, 1), weighted("only", 5, 1), weighted("last", 0, 1));

    Map<String, Integer> picks = draw(selector, candidates);

    assertEquals(Map.of("only", DRAWS), picks);
  }

  @Test
  void pickingFromNothingGivesNothing() {
    WeightedSelector selector = new WeightedSelector(RandomSource.seeded(1));

    assertTrue(selector.pick(List.of()).isEmpty());
  }

  @Test
  void pickingAmongOnlyZeroWeightsGivesNothing() {
    WeightedSelector selector = new WeightedSelector(RandomSource.seeded(1));

    assertTrue(selector.pick(List.of(weighted("a", 0, 1), weighted("b", 0, 2))).isEmpty());
  }

  @Test
  void sameSeedDrawsTheSameSequence() {
    List<Target> candidates = List.of(weighted("a", 1, 1), weighted("b", 1, 1), weighted("c", 1, 1));
    WeightedSelector one = new WeightedSelector(RandomSource.seeded(99));
    WeightedSelector two = new WeightedSelector(RandomSource.seeded(99));

    for (int i = 0; i < 1_000; i++) {
      assertEquals(one.pick(candidates), two.pick(candidates));
    }
  }

  private static Map<String, Integer> draw(WeightedSelector selector, List<Target> candidates) {
    Map<String, Integer> picks = new HashMap<>();
    for (int i = 0; i < DRAWS; i++) {
      picks.merge(selector.pick(candidates).orElseThrow().id(), 1, Integer::sum);
    }
    return picks;
  }

  private static void assertShare(double expected, Integer picks) {
    double share = picks == null ? 0 : picks / (double) DRAWS;
    assertEquals(expected, share, TOLERANCE, "share of draws");
  }
}
