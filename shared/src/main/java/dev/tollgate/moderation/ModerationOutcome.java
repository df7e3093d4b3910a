package dev.tollgate.moderation;

import java.time.Instant;

/**
 * What output moderation concluded about one answer: the {@code moderation} map of its audit record.
 *
 * @param action {@code flagged} or {@code passed}
 * @param reason the guardrail's own message when it intervened; never the answer's text
 * @param policies which guardrail policies intervened (names and types only)
 */
public record ModerationOutcome(
    String action, String guardrailId, String guardrailVersion, String reason, String policies, Instant at) {

  public static final String FLAGGED = "flagged";
  public static final String PASSED = "passed";

  public boolean flagged() {
    return FLAGGED.equals(action);
  }
}
