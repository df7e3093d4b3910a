package dev.tollgate.cache;

/** The cache store could not be read or written; the request goes on as a miss. */
public final class CacheStoreException extends RuntimeException {

  public CacheStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
