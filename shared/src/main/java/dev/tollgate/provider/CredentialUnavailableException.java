package dev.tollgate.provider;

/** A credential reference that could not be resolved; the message is safe to show and log. */
public final class CredentialUnavailableException extends RuntimeException {

  public CredentialUnavailableException(String message) {
    super(message, null, false, false);
  }
}
