package dev.tollgate.audit;

/**
 * Where audit records go: a DynamoDB table in AWS, memory in tests. An implementation must not
 * throw into the request and must not lose a record: when it cannot store one it writes it to
 * the log instead ({@link AuditFallback}).
 */
public interface AuditSink {

  /** An audit trail that keeps nothing: for priming and tools that serve no traffic. */
  AuditSink NONE = record -> {};

  void write(AuditRecord record);
}
