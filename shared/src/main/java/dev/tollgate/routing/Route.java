package dev.tollgate.routing;

import java.util.Comparator;
import java.util.List;

/**
 * A model alias clients name in {@code model}, with the targets that can serve it, kept in
 * priority order (then by id) because {@link AttemptPlan} walks them tier by tier.
 */
public record Route(String alias, List<Target> targets, int maxAttempts, String description) {

  public Route {
    targets = targets.stream().sorted(Comparator.comparingInt(Target::priority).thenComparing(Target::id)).toList();
  }

  public boolean hasSelectableTarget() {
    return targets.stream().anyMatch(Target::selectable);
  }
}
