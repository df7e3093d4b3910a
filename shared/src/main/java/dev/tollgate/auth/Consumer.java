package dev.tollgate.auth;

import java.util.Set;

/**
 * Who is calling, as known from the API key they presented.
 *
 * @param models the aliases this consumer may call; {@code *} allows every alias
 */
public record Consumer(String name, String group, Set<String> models, boolean enabled) {

  public static final String ALL_MODELS = "*";

  public Consumer {
    models = Set.copyOf(models);
  }

  public boolean mayUse(String alias) {
    return models.contains(ALL_MODELS) || models.contains(alias);
  }
}
