package dev.tollgate.cli;

import dev.tollgate.limit.LimitPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which counters {@code tollgate usage} shows: those that count the requests of a consumer, a
 * group or a model, and of one policy; a null field filters nothing. A counter whose scope names
 * the part is kept when the value is the one asked for; one whose scope does not is kept when its
 * policy's match filters would admit such requests.
 */
record UsageFilter(String policy, String consumer, String group, String model) {

  static final String CONSUMER = "consumer";
  static final String GROUP = "group";
  static final String ROUTE = "route";

  /** Whether the counter of {@code limit} with these scope values is one the filter asks for. */
  boolean admits(LimitPolicy limit, Map<String, String> scope, KeyGroups keys) {
    return (policy == null || policy.equals(limit.name()))
        && (consumer == null || countsConsumer(limit, scope, keys))
        && (group == null || countsGroup(limit, scope, keys))
        && (model == null || countsModel(limit, scope));
  }

  private boolean countsConsumer(LimitPolicy limit, Map<String, String> scope, KeyGroups keys) {
    String scoped = scope.get(CONSUMER);
    if (scoped != null) {
      return scoped.equals(consumer);
    }
    if (!within(limit.match().consumers(), consumer)) {
      return false;
    }
    boolean groupBound = scope.containsKey(GROUP) || !limit.match().groups().isEmpty();
    // Only a group the consumer holds a key in can bring its requests to a group-bound counter.
    return !groupBound || keys.groupsOf(consumer).stream().anyMatch(g -> groupFits(limit, scope, g));
  }

  private boolean countsGroup(LimitPolicy limit, Map<String, String> scope, KeyGroups keys) {
    if (!groupFits(limit, scope, group)) {
      return false;
    }
    if (scope.containsKey(GROUP)) {
      return true;
    }
    String scopedConsumer = scope.get(CONSUMER);
    if (scopedConsumer != null) {
      return keys.groupsOf(scopedConsumer).contains(group);
    }
    Set<String> consumers = limit.match().consumers();
    return consumers.isEmpty() || consumers.stream().anyMatch(c -> keys.groupsOf(c).contains(group));
  }

  private boolean countsModel(LimitPolicy limit, Map<String, String> scope) {
    String scoped = scope.get(ROUTE);
    return scoped != null ? scoped.equals(model) : within(limit.match().models(), model);
  }

  private static boolean groupFits(LimitPolicy limit, Map<String, String> scope, String group) {
    String scoped = scope.get(GROUP);
    return (scoped == null || scoped.equals(group)) && within(limit.match().groups(), group);
  }

  /** An empty match set admits everything. */
  private static boolean within(Set<String> allowed, String value) {
    return allowed.isEmpty() || allowed.contains(value);
  }

  /** The filters given, for messages, e.g. {@code consumer alice, model gpt-4o}; empty when none. */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (policy != null) {
      parts.add("policy " + policy);
    }
    if (consumer != null) {
      parts.add("consumer " + consumer);
    }
    if (group != null) {
      parts.add("group " + group);
    }
    if (model != null) {
      parts.add("model " + model);
    }
    return String.join(", ", parts);
  }
}
