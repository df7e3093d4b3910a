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

  /** Picks one of {@code shares} with probability proportional to its share; empty when none is positive. */
  public Optional<TargetShares.Share> pickShare(List<TargetShares.Share> shares) {
    double total = 0;
    for (TargetShares.Share share : shares) {
      total += Math.max(0, share.share());
    }
    if (total <= 0) {
      return Optional.empty();
    }
    double point = random.generator().nextDouble(total);
    TargetShares.Share last = null;
    for (TargetShares.Share share : shares) {
      if (share.share() <= 0) {
        continue;
      }
      last = share;
      point -= share.share();
      if (point < 0) {
        return Optional.of(share);
      }
    }
    return Optional.ofNullable(last); // rounding left a sliver at the end
  }
}
