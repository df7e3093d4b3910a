package dev.tollgate.moderation;

/**
 * What a guardrail said about one text.
 *
 * @param intervened whether it intervened ({@code GUARDRAIL_INTERVENED})
 * @param reason the guardrail's own words (its configured blocked message), never the assessed text
 * @param policies which of its policies intervened, e.g. {@code contentPolicy:VIOLENCE},
 *     {@code topicPolicy:Investing}: names and types only, never the matched text
 */
public record GuardrailVerdict(boolean intervened, String reason, String policies) {

  public static final GuardrailVerdict PASSED = new GuardrailVerdict(false, "", "");

  public GuardrailVerdict {
    reason = reason == null ? "" : reason;
    policies = policies == null ? "" : policies;
  }
}
