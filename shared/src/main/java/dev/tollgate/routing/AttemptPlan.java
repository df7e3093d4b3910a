package dev.tollgate.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which one request tries a route's targets: the best priority tier (lowest number)
 * that still has an untried selectable target, weighted random inside it; each target at most
 * once per request.
 */
public final class AttemptPlan {

  private final Route route;
  private final WeightedSelector selector;
  private final Set<String> tried = new HashSet<>();

  public AttemptPlan(Route route, WeightedSelector selector) {
    this.route = route;
    this.selector = selector;
  }

  public Optional<Target> next() {
    Integer tier = null;
    List<Target> candidates = new ArrayList<>();
    for (Target target : route.targets()) { // sorted by priority
      if (!target.selectable() || tried.contains(target.id())) {
        continue;
      }
      if (tier != null && target.priority() != tier) {
        break;
      }
      tier = target.priority();
      candidates.add(target);
    }
    Optional<Target> picked = selector.pick(candidates);
    picked.ifPresent(target -> tried.add(target.id()));
    return picked;
  }
}
