package dev.tollgate.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order in which one request tries a route's targets: the best priority tier (lowest number)
 * that still has an untried selectable target, weighted random inside it; each target at most
 * once per request. A target the {@code paused} test holds back (its circuit breaker is open) is
 * passed over for this request, so the next one in its tier, or the next tier, is used.
 */
public final class AttemptPlan {

  private final Route route;
  private final WeightedSelector selector;
  private final Predicate<Target> paused;
  private final Set<String> tried = new HashSet<>();

  public AttemptPlan(Route route, WeightedSelector selector) {
    this(route, selector, target -> false);
  }

  /** @param paused asked at most once per target and request; true passes the target over */
  public AttemptPlan(Route route, WeightedSelector selector, Predicate<Target> paused) {
    this.route = route;
    this.selector = selector;
    this.paused = paused;
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
      if (paused.test(target)) {
        tried.add(target.id());
        continue;
      }
      tier = target.priority();
      candidates.add(target);
    }
    Optional<Target> picked = selector.pick(candidates);
    picked.ifPresent(target -> tried.add(target.id()));
    return picked;
  }
}
