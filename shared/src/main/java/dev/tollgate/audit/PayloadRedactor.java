package dev.tollgate.audit;

/**
 * Removes sensitive data (PII, secrets) from prompt and answer text before the audit record keeps
 * it. The response filters' PII rules implement it; the audit trail never stores text unredacted.
 */
@FunctionalInterface
public interface PayloadRedactor {

  String redact(String text);
}
