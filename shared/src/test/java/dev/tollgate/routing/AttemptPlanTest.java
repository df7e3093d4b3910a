package dev.tollgate.routing;

import static dev.tollgate.testing.TestTargets.target;
import static dev.tollgate.testing.TestTargets.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttemptPlanTest {

  private static AttemptPlan plan(long seed, Target... targets) {
    return new AttemptPlan(new Route("chat", List.of(targets), 0, ""), new WeightedSelector(RandomSource.seeded(seed)));
  }

  /** Every target the plan yields, in order, until it gives nothing. */
  private static List<String> drain(AttemptPlan plan) {
    List<String> order = new ArrayList<>();
    for (Optional<Target> next = plan.next(); next.isPresent(); next = plan.next()) {
      order.add(next.get().id());
    }
    return order;
  }

  @Test
  void startsWithTheLowestPriorityNumber() {
    for (long seed = 0; seed < 50; seed++) {
      AttemptPlan plan = plan(seed, weighted("zero", 1, 0), weighted("one", 1000, 1), weighted("two", 1000, 2));

      assertEquals(List.of("zero", "one", "two"), drain(plan));
    }
  }

  @Test
  void findsTheBestTierWhateverOrderTheRouteListsItsTargetsIn() {
    for (long seed = 0; seed < 50; seed++) {
      AttemptPlan plan = plan(seed, weighted("backup", 1, 2), weighted("primary", 1, 1), weighted("last", 1, 3));

      assertEquals(List.of("primary", "backup", "last"), drain(plan));
    }
  }

  @Test
  void leavesATierOnlyWhenEveryTargetInItWasTried() {
    for (long seed = 0; seed < 50; seed++) {
      List<String> order =
          drain(plan(seed, weighted("a", 1, 1), weighted("b", 1, 1), weighted("c", 1, 1), weighted("d", 1, 2)));

      assertEquals(Set.of("a", "b", "c"), Set.copyOf(order.subList(0, 3)), "tier 1 first, in any order");
      assertEquals("d", order.get(3));
    }
  }

  @Test
  void skipsDisabledAndZeroWeightTargets() {
    AttemptPlan plan =
        plan(
            5,
            target("off", 100, 1, false),
            target("weightless", 0, 1, true),
            weighted("on", 1, 2),
            target("off-too", 5, 3, false));

    assertEquals(List.of("on"), drain(plan));
  }

  @Test
  void aTierOfOnlyUnselectableTargetsIsPassedOver() {
    AttemptPlan plan = plan(5, target("off", 1, 1, false), weighted("second", 1, 2), weighted("third", 1, 3));

    assertEquals("second", plan.next().orElseThrow().id());
  }

  @Test
  void triesEachTargetAtMostOnce() {
    Target[] targets = new Target[20];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = weighted("t" + i, 1 + i % 4, i % 3);
    }

    List<String> order = drain(plan(17, targets));

    assertEquals(targets.length, order.size());
    assertEquals(order.size(), new HashSet<>(order).size(), "no target twice: " + order);
  }

  @Test
  void isEmptyForARouteWithoutTargets() {
    assertTrue(plan(1).next().isEmpty());
  }

  @Test
  void staysEmptyOnceEverythingWasTried() {
    AttemptPlan plan = plan(1, weighted("only", 1, 1));

    assertEquals("only", plan.next().orElseThrow().id());
    assertTrue(plan.next().isEmpty());
    assertTrue(plan.next().isEmpty());
  }

  @Test
  void picksByWeightInsideTheBestTier() {
    int heavyFirst = 0;
    int plans = 20_000;
    RandomSource random = RandomSource.seeded(8);
    Route route = new Route("chat", List.of(weighted("heavy", 3, 1), weighted("light", 1, 1)), 0, "");
    for (int i = 0; i < plans; i++) {
      if (new AttemptPlan(route, new WeightedSelector(random)).next().orElseThrow().id().equals("heavy")) {
        heavyFirst++;
      }
    }

    assertEquals(0.75, heavyFirst / (double) plans, 0.02);
  }

  @Test
  void aPausedTargetIsPassedOverSoItsTierSiblingOrTheNextTierIsUsed() {
    Route route = new Route("chat", List.of(weighted("a", 1, 0), weighted("b", 1, 0), weighted("c", 1, 1)), 0, "");
    List<String> asked = new ArrayList<>();
    for (long seed = 0; seed < 20; seed++) {
      asked.clear();
      AttemptPlan plan =
          new AttemptPlan(route, new WeightedSelector(RandomSource.seeded(seed)), target -> {
            asked.add(target.id());
            return !target.id().equals("c");
          });

      assertEquals(List.of("c"), drain(plan));
      assertEquals(List.of("a", "b", "c"), asked, "each target asked once, tier by tier");
    }
  }

  @Test
  void aPausedTargetInTheFirstTierLeavesItsSibling() {
    Route route = new Route("chat", List.of(weighted("a", 1, 0), weighted("b", 1, 0), weighted("c", 1, 1)), 0, "");
    for (long seed = 0; seed < 20; seed++) {
      AttemptPlan plan =
          new AttemptPlan(route, new WeightedSelector(RandomSource.seeded(seed)), target -> target.id().equals("a"));

      assertEquals(List.of("b", "c"), drain(plan));
    }
  }
}
