package dev.tollgate.config;

import java.util.Map;
import java.util.Optional;

/**
 * One environment variable a function reads. Each function lists its variables in an enum that
 * implements this, so the SAM template test can check that every required one is set.
 */
public interface EnvironmentVariable {

  /** Who must provide a variable. */
  enum Need {
    REQUIRED,
    OPTIONAL,
    SET_BY_LAMBDA
  }

  String variable();

  Need need();

  /** The value, trimmed; empty when unset or blank. */
  default Optional<String> read(Map<String, String> environment) {
    String value = environment.get(variable());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  default String require(Map<String, String> environment) {
    return read(environment)
        .orElseThrow(() -> new IllegalStateException("Environment variable " + variable() + " must be set"));
  }
}
