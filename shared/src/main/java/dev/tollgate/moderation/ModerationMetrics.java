package dev.tollgate.moderation;

/** Metric names of the guardrail and moderation path. */
public final class ModerationMetrics {

  /** Prompts an input guardrail blocked. */
  public static final String GUARDRAIL_BLOCKED = "GuardrailBlocked";
  /** Input checks that could not be made (then failOpen or failClosed decides). */
  public static final String GUARDRAIL_UNAVAILABLE = "GuardrailUnavailable";
  /** Answers enqueued for output moderation. */
  public static final String MODERATION_ENQUEUED = "ModerationEnqueued";
  /** Answers that could not be enqueued; the request itself was not failed. */
  public static final String MODERATION_ENQUEUE_FAILED = "ModerationEnqueueFailed";
  /** Answers the output guardrail flagged (moderation function). */
  public static final String MODERATION_FLAGGED = "ModerationFlagged";
  /** Answers the output guardrail passed (moderation function). */
  public static final String MODERATION_PASSED = "ModerationPassed";
  /** Messages that failed and go back to the queue (moderation function). */
  public static final String MODERATION_FAILED = "ModerationFailed";
  /** Consumers disabled for too many flagged answers (moderation function). */
  public static final String CONSUMERS_DISABLED = "ConsumersDisabled";

  private ModerationMetrics() {}
}
