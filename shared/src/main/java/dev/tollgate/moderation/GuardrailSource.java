package dev.tollgate.moderation;

/** Which side of a conversation a guardrail assesses: the prompt, or the model's answer. */
public enum GuardrailSource {
  INPUT,
  OUTPUT
}
