package dev.tollgate.prompt;

import java.util.Set;

/**
 * Which requests a prompt policy applies to: a non-empty {@code models} must contain the requested
 * model alias and a non-empty {@code groups} the caller's consumer group; an empty set matches all.
 */
public record PromptMatch(Set<String> models, Set<String> groups) {

  public static final PromptMatch ANY = new PromptMatch(Set.of(), Set.of());

  public PromptMatch {
    models = Set.copyOf(models);
    groups = Set.copyOf(groups);
  }

  public boolean matchesModel(String alias) {
    return models.isEmpty() || models.contains(alias);
  }

  public boolean matchesGroup(String group) {
    return groups.isEmpty() || groups.contains(group);
  }

  public boolean matches(String alias, String group) {
    return matchesModel(alias) && matchesGroup(group);
  }
}
