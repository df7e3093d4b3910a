package dev.tollgate.moderation;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured guardrail ({@code pk = guardrail#NAME}): which Bedrock guardrail checks the
 * prompts ({@code input}) and, asynchronously, the answers ({@code output}) of the requests it
 * matches, what a failed check does, and after how many flagged answers in {@code flagWindow} a
 * consumer is disabled.
 *
 * @param disableAfterFlags 0 when flags never disable the consumer
 * @param models aliases it applies to; empty for all
 * @param groups consumer groups it applies to; empty for all
 */
public record GuardrailRule(
    String name,
    String guardrailId,
    String guardrailVersion,
    boolean input,
    boolean output,
    OnError onError,
    int disableAfterFlags,
    Duration flagWindow,
    Set<String> models,
    Set<String> groups) {

  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  public static final Duration DEFAULT_FLAG_WINDOW = Duration.ofDays(1);

  /** What an input check does when the guardrail cannot be asked. */
  public enum OnError {
    /** The request goes on unchecked (and the verdict says so). */
    FAIL_OPEN,
    /** The request is refused with 503 {@code guardrail_unavailable}. */
    FAIL_CLOSED
  }

  public GuardrailRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(guardrailId, "guardrailId");
    Objects.requireNonNull(guardrailVersion, "guardrailVersion");
    Objects.requireNonNull(onError, "onError");
    Objects.requireNonNull(flagWindow, "flagWindow");
    models = Set.copyOf(models);
    groups = Set.copyOf(groups);
  }

  /** Whether it applies to a request for {@code alias} by a consumer of {@code group}. */
  public boolean matches(String alias, String group) {
    return (models.isEmpty() || models.contains(alias)) && (groups.isEmpty() || groups.contains(group));
  }
}
