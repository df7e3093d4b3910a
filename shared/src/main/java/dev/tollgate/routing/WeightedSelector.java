package dev.tollgate.routing;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Picks one target among candidates with probability proportional to its weight. */
public final class WeightedSelector {

  private final RandomSource random;

  public WeightedSelector(RandomSource random) {
    this.random = random;
  }

  /** Empty when no candidate has a positive weight. */
  public Optional<Target> pick(List<Target> candidates) {
    long total = 0;
    for (Target target : candidates) {
      total += Math.max(0, target.weight());
    }
    if (total == 0) {
      return Optional.empty();
    }
    RandomGenerator generator = random.generator();
    long point = generator.nextLong(total);
    for (Target target : candidates) {
      point -= Math.max(0, target.weight());
      if (point < 0) {
        return Optional.of(target);
      }
    }
    throw new IllegalStateException("weights changed while picking");
  }
}
