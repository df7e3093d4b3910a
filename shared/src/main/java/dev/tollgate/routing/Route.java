package dev.tollgate.routing;

import java.util.Comparator;
import java.util.List;

/**
 * A model alias clients name in {@code model}, with the targets that can serve it, kept in
 * priority order (then by id) because {@link AttemptPlan} walks them tier by tier.
 *
 * @param auditPayloads whether the audit record keeps the (redacted) prompt and answer text
 * @param strategy how each priority tier shares its traffic
 * @param probeShare what the latency and cost strategies leave to the targets they do not favour
 */
public record Route(
    String alias,
    List<Target> targets,
    int maxAttempts,
    String description,
    boolean auditPayloads,
    Strategy strategy,
    double probeShare) {

  public static final double DEFAULT_PROBE_SHARE = 0.05;

  public Route {
    targets = targets.stream().sorted(Comparator.comparingInt(Target::priority).thenComparing(Target::id)).toList();
  }

  /** A route that shares traffic by static weight. */
  public Route(String alias, List<Target> targets, int maxAttempts, String description, boolean auditPayloads) {
    this(alias, targets, maxAttempts, description, auditPayloads, Strategy.WEIGHTED, DEFAULT_PROBE_SHARE);
  }

  /** A route whose audit records keep no payloads (the default). */
  public Route(String alias, List<Target> targets, int maxAttempts, String description) {
    this(alias, targets, maxAttempts, description, false);
  }

  public boolean hasSelectableTarget() {
    return targets.stream().anyMatch(Target::selectable);
  }
}
