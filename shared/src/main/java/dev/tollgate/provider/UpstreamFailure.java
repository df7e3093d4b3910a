package dev.tollgate.provider;

import dev.tollgate.api.ApiError;
import java.util.Optional;

/**
 * A failed upstream attempt. {@code detail} is safe to show a client (no credential, no upstream
 * body beyond a redacted error message); {@code clientError} is set for
 * {@link FailureKind#REQUEST_REJECTED}, the error to hand back as is.
 */
public final class UpstreamFailure extends Exception {

  private final FailureKind kind;
  private final int status;
  private final long retryAfterSeconds;
  private final ApiError clientError;

  private UpstreamFailure(
      FailureKind kind, int status, String detail, long retryAfterSeconds, ApiError clientError) {
    super(detail, null, false, false);
    this.kind = kind;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.clientError = clientError;
  }

  public static UpstreamFailure of(FailureKind kind, String detail) {
    return new UpstreamFailure(kind, 0, detail, 0, null);
  }

  public static UpstreamFailure http(FailureKind kind, int status, String detail, long retryAfterSeconds) {
    return new UpstreamFailure(kind, status, detail, retryAfterSeconds, null);
  }

  public static UpstreamFailure rejected(int status, ApiError clientError) {
    return new UpstreamFailure(FailureKind.REQUEST_REJECTED, status, clientError.message(), 0, clientError);
  }

  public FailureKind kind() {
    return kind;
  }

  /** The upstream's HTTP status, or 0 when none was received. */
  public int status() {
    return status;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public String detail() {
    return getMessage();
  }

  public Optional<ApiError> clientError() {
    return Optional.ofNullable(clientError);
  }
}
