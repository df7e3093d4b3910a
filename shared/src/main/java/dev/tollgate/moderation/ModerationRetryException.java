package dev.tollgate.moderation;

/** A message that could not be moderated now and should be retried (it goes back to the queue). */
public final class ModerationRetryException extends Exception {

  public ModerationRetryException(String message, Throwable cause) {
    super(message, cause);
  }
}
