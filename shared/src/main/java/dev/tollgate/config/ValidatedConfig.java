package dev.tollgate.config;

import java.util.List;

/** The outcome of validating a set of items: the usable config, and what was rejected. */
public record ValidatedConfig(GatewayConfig config, List<ConfigError> errors, int itemCount) {

  public ValidatedConfig {
    errors = List.copyOf(errors);
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** How many items were rejected; one item with several bad fields counts once. */
  public long rejectedItems() {
    return errors.stream().map(ConfigError::location).distinct().count();
  }
}
