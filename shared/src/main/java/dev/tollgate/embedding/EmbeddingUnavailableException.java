package dev.tollgate.embedding;

/** The embedding model could not produce vectors (unreachable, throttled, refused the input). */
public final class EmbeddingUnavailableException extends RuntimeException {

  public EmbeddingUnavailableException(String message) {
    super(message);
  }

  public EmbeddingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
