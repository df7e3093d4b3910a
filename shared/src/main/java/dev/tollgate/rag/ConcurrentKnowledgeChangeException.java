package dev.tollgate.rag;

/** Another ingest changed the same document in between; nothing was switched, try again. */
public final class ConcurrentKnowledgeChangeException extends RuntimeException {

  public ConcurrentKnowledgeChangeException(String kb, String documentId) {
    super("document '" + documentId + "' of knowledge base '" + kb + "' was changed by another ingest at the same time; run it again");
  }
}
