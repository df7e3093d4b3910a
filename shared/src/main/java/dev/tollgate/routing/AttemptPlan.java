package dev.tollgate.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The order in which one request tries a route's targets: the best priority tier (lowest number)
 * that still has an untried selectable target, weighted random inside it; each target at most
 * once per request. A target the {@code paused} test holds back (its circuit breaker is open) is
 * passed over for this request, so the next one in its tier, or the next tier, is used. A route
 * with another {@link Strategy} than {@code weighted} picks inside the tier by {@link TargetShares}.
 */
public final class AttemptPlan {

  private final Route route;
  private final WeightedSelector selector;
  private final Predicate<Target> paused;
  private final Function<List<Target>, List<TargetShares.Share>> shares;
  private final Set<String> tried = new HashSet<>();
  private double lastShare = 1;

  public AttemptPlan(Route route, WeightedSelector selector) {
    this(route, selector, target -> false);
  }

  /** @param paused asked at most once per target and request; true passes the target over */
  public AttemptPlan(Route route, WeightedSelector selector, Predicate<Target> paused) {
    this(route, selector, paused, TargetShares::weighted);
  }

  /** @param shares the shares of one tier's candidates, for routes that do not pick by weight alone */
  public AttemptPlan(
      Route route,
      WeightedSelector selector,
      Predicate<Target> paused,
      Function<List<Target>, List<TargetShares.Share>> shares) {
    this.route = route;
    this.selector = selector;
    this.paused = paused;
    this.shares = shares;
  }

  /** The share the last picked target had in its tier (1 for a weighted route). */
  public double lastShare() {
    return lastShare;
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
    Optional<Target> picked;
    if (route.strategy() == Strategy.WEIGHTED) {
      picked = selector.pick(candidates); // today's draw, unchanged
    } else {
      Optional<TargetShares.Share> share = candidates.isEmpty() ? Optional.empty() : selector.pickShare(shares.apply(candidates));
      lastShare = share.map(TargetShares.Share::share).orElse(1.0);
      picked = share.map(TargetShares.Share::target);
    }
    picked.ifPresent(target -> tried.add(target.id()));
    return picked;
  }
}
