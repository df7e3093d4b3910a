package dev.tollgate.moderation;

/** The guardrail could not be asked (unreachable, throttled, refused); the message names no text. */
public final class GuardrailUnavailableException extends Exception {

  public GuardrailUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
