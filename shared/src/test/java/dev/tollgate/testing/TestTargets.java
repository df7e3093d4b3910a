package dev.tollgate.testing;

import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Targets built directly, for the routing logic that takes them as values. */
public final class TestTargets {

  private TestTargets() {}

  public static Target target(String id, int weight, int priority, boolean enabled) {
    return target(id, weight, priority, enabled, Map.of());
  }

  public static Target target(String id, int weight, int priority, boolean enabled, Map<String, String> options) {
    return new Target(
        id,
        "chat",
        ScriptedProvider.TYPE,
        "model-" + id,
        null,
        Optional.empty(),
        weight,
        priority,
        Duration.ofSeconds(30),
        enabled,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        options);
  }

  /** An enabled target in tier {@code priority}. */
  public static Target weighted(String id, int weight, int priority) {
    return target(id, weight, priority, true);
  }
}
