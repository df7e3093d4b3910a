package dev.tollgate.limit;

import java.util.Objects;

/**
 * One counter: a policy's window over one scope, e.g. policy {@code tokens-per-minute}, scope
 * {@code group=free|model=gpt-4o}. The policy name may not contain {@code #} (storage keys join
 * the parts with it); the scope may hold anything.
 */
public record CounterKey(String policy, String scope, Window window) {

  public CounterKey {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(window, "window");
    if (policy.isBlank() || policy.indexOf('#') >= 0) {
      throw new IllegalArgumentException("policy name must be non-blank without '#', was '" + policy + "'");
    }
  }
}
