package dev.tollgate.limit;

import java.util.Set;

/**
 * Which requests a limit policy counts: each non-empty set must contain the request's model
 * alias, target id, consumer group or consumer; an empty set matches everything.
 */
public record LimitMatch(Set<String> models, Set<String> targets, Set<String> groups, Set<String> consumers) {

  public static final LimitMatch ANY = new LimitMatch(Set.of(), Set.of(), Set.of(), Set.of());

  public LimitMatch {
    models = Set.copyOf(models);
    targets = Set.copyOf(targets);
    groups = Set.copyOf(groups);
    consumers = Set.copyOf(consumers);
  }
}
