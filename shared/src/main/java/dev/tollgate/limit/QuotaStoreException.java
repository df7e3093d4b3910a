package dev.tollgate.limit;

/** The quota store could not answer (unreachable, throttled, contended); the policy fails open or closed. */
public class QuotaStoreException extends RuntimeException {

  public QuotaStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
