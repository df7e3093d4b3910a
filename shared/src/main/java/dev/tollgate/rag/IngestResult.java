package dev.tollgate.rag;

/** What ingesting one document did: ingested (new), replaced (changed), unchanged (same hash) or skipped (why). */
public record IngestResult(String documentId, Outcome outcome, int chunks, String reason) {

  /** The four outcomes, as {@code tollgate kb ingest} prints them. */
  public enum Outcome {
    INGESTED,
    REPLACED,
    UNCHANGED,
    SKIPPED
  }

  public static IngestResult skipped(String documentId, String reason) {
    return new IngestResult(documentId, Outcome.SKIPPED, 0, reason);
  }

  /** One line for people: {@code guide.md: ingested (12 chunks)}. */
  public String describe() {
    return documentId + ": " + switch (outcome) {
      case INGESTED -> "ingested (" + chunks + (chunks == 1 ? " chunk)" : " chunks)");
      case REPLACED -> "replaced (" + chunks + (chunks == 1 ? " chunk)" : " chunks)");
      case UNCHANGED -> "unchanged";
      case SKIPPED -> "skipped: " + reason;
    };
  }
}
