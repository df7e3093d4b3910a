package dev.tollgate.rag;

/** The query names a knowledge base that does not exist (never ingested, or removed). */
public final class UnknownKnowledgeBaseException extends RetrievalException {

  public UnknownKnowledgeBaseException(String kb) {
    super("knowledge base '" + kb + "' does not exist");
  }
}
