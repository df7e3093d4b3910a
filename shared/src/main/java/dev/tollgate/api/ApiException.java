package dev.tollgate.api;

/** Carries an {@link ApiError} out of deep validation code; policies turn it into a reply. */
public final class ApiException extends RuntimeException {

  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
