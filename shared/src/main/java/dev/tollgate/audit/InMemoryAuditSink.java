package dev.tollgate.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keeps audit records in memory; for tests and tools. */
public final class InMemoryAuditSink implements AuditSink {

  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public synchronized void write(AuditRecord record) {
    records.add(record);
  }

  public synchronized List<AuditRecord> records() {
    return List.copyOf(records);
  }

  public synchronized Optional<AuditRecord> byRequestId(String requestId) {
    return records.stream().filter(r -> r.requestId().equals(requestId)).findFirst();
  }
}
