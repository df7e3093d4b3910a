package dev.tollgate.rag;

/** Retrieval could not run: the store, the embedding model or the retrieval function failed. */
public class RetrievalException extends RuntimeException {

  public RetrievalException(String message) {
    super(message);
  }

  public RetrievalException(String message, Throwable cause) {
    super(message, cause);
  }
}
