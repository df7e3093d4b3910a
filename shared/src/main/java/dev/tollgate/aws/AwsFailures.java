package dev.tollgate.aws;

import dev.tollgate.provider.Redaction;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Says in a few words why an AWS call failed, by HTTP status and error code, for the messages of
 * the embedding and retrieval adapters (which add what to do about it). A refused request carries
 * the service's own message, redacted: it may echo the input.
 */
final class AwsFailures {

  /** The failure's kind, which adapters turn into advice. */
  enum Kind { TIMED_OUT, THROTTLED, ACCESS_DENIED, NOT_FOUND, REFUSED, SERVICE_FAILED, UNREACHABLE }

  record Failure(Kind kind, String description) {}

  private AwsFailures() {}

  static Failure of(SdkException thrown) {
    if (thrown instanceof ApiCallTimeoutException || thrown instanceof ApiCallAttemptTimeoutException) {
      return new Failure(Kind.TIMED_OUT, "timed out");
    }
    if (!(thrown instanceof AwsServiceException service)) {
      Throwable cause = thrown.getCause() == null ? thrown : thrown.getCause();
      return new Failure(Kind.UNREACHABLE, "could not be reached (" + cause.getClass().getSimpleName() + ")");
    }
    int status = service.statusCode();
    String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    String label = code == null || code.isBlank() ? "HTTP " + status : "HTTP " + status + " " + code;
    if (status == 429 || (code != null && (code.contains("Throttl") || code.contains("TooManyRequests") || code.contains("QuotaExceeded")))) {
      return new Failure(Kind.THROTTLED, "throttled (" + label + ")");
    }
    if (status == 401 || status == 403) {
      return new Failure(Kind.ACCESS_DENIED, "denied access (" + label + ")");
    }
    if (status == 404) {
      return new Failure(Kind.NOT_FOUND, "not found (" + label + ")");
    }
    if (status >= 400 && status < 500 && status != 408) {
      String message =
          service.awsErrorDetails() == null || service.awsErrorDetails().errorMessage() == null
              ? "no error message"
              : Redaction.redact(service.awsErrorDetails().errorMessage(), Optional.empty());
      return new Failure(Kind.REFUSED, "refused the request (" + label + ": " + message + ")");
    }
    return new Failure(Kind.SERVICE_FAILED, "failed (" + label + ")");
  }
}
