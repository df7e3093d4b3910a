package dev.tollgate.routing;

import java.util.List;

/** A model alias clients name in {@code model}, with the targets that can serve it. */
public record Route(String alias, List<Target> targets, int maxAttempts, String description) {

  public Route {
    targets = List.copyOf(targets);
  }

  public boolean hasSelectableTarget() {
    return targets.stream().anyMatch(Target::selectable);
  }
}
