package dev.tollgate.audit;

/** Takes sensitive data (PII, keys) out of a prompt or answer before it is stored in an audit record. */
@FunctionalInterface
public interface PayloadRedactor {

  /** {@code text} with every detected item replaced by a typed placeholder. */
  String redact(String text);
}
