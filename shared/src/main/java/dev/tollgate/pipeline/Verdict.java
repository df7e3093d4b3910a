package dev.tollgate.pipeline;

/**
 * What one policy decided about a request, kept for the audit record: a prompt guard that
 * flagged or blocked, a guardrail's answer, a response filter that redacted, a limit that refused.
 *
 * @param stage the kind of policy: {@code guard}, {@code guardrail}, {@code filter}, {@code limit}, ...
 * @param policy the configured policy's name
 * @param action what it did: {@code pass}, {@code flag}, {@code block}, {@code redact}, {@code refuse}, ...
 * @param detail a short reason that never repeats the caller's text (a pattern index, a PII type)
 */
public record Verdict(String stage, String policy, String action, String detail) {

  public Verdict {
    detail = detail == null ? "" : detail;
  }
}
