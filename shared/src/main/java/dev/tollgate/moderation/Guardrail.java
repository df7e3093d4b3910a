package dev.tollgate.moderation;

/** A content guardrail (Bedrock Guardrails' {@code ApplyGuardrail} in AWS). */
public interface Guardrail {

  /** Used when no guardrail service is wired: every call fails, so {@code onError} decides. */
  Guardrail NONE =
      (id, version, text, source) -> {
        throw new GuardrailUnavailableException("no guardrail service is configured", null);
      };

  /** Assesses {@code text} with guardrail {@code guardrailId} at {@code version}. */
  GuardrailVerdict assess(String guardrailId, String guardrailVersion, String text, GuardrailSource source)
      throws GuardrailUnavailableException;
}
