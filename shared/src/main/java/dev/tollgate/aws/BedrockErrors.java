package dev.tollgate.aws;

import dev.tollgate.api.ApiError;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Redaction;
import dev.tollgate.provider.UpstreamFailure;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonProcessingException;

/**
 * Classifies what the Bedrock Runtime client threw into an {@link UpstreamFailure}, by the
 * modelled exception first and its HTTP status second. Only a request Bedrock refused carries
 * Bedrock's own message to the client, redacted; the call is signed with the function's role, so
 * no credential of ours can be in it, but a key pasted into a prompt could be echoed back.
 */
final class BedrockErrors {

  private BedrockErrors() {}

  static UpstreamFailure classify(String targetId, SdkException thrown) {
    if (thrown instanceof ApiCallTimeoutException || thrown instanceof ApiCallAttemptTimeoutException) {
      return UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out");
    }
    if (!(thrown instanceof AwsServiceException service) && unreadable(thrown)) {
      return UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response could not be read (malformed JSON)");
    }
    if (!(thrown instanceof AwsServiceException service)) {
      Throwable cause = thrown.getCause() == null ? thrown : thrown.getCause();
      return UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection failed (" + cause.getClass().getSimpleName() + ")");
    }
    int status = service.statusCode();
    String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    String label = code == null || code.isBlank() ? "HTTP " + status : "HTTP " + status + " " + code;
    return switch (service) {
      case ThrottlingException e -> UpstreamFailure.http(FailureKind.RATE_LIMITED, status, label, 0);
      case ServiceQuotaExceededException e -> UpstreamFailure.http(FailureKind.RATE_LIMITED, status, label, 0);
      case ModelTimeoutException e -> UpstreamFailure.http(FailureKind.TIMED_OUT, status, label, 0);
      case ModelNotReadyException e -> UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
      case ServiceUnavailableException e -> UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
      case InternalServerException e -> UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
      case ModelErrorException e -> UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
      // a model failure mid-stream, modelled with status 424, which would otherwise read as a refused request
      case ModelStreamErrorException e -> UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
      case AccessDeniedException e ->
          UpstreamFailure.http(FailureKind.AUTH_REJECTED, status, label + ", the function's role may not invoke this model", 0);
      case ResourceNotFoundException e ->
          UpstreamFailure.http(FailureKind.UPSTREAM_NOT_FOUND, status, label + ", model or inference profile not found", 0);
      default -> byStatus(targetId, service, status, label);
    };
  }

  /**
   * Whether the SDK failed to parse what Bedrock sent (a whole answer or a stream event whose JSON
   * is broken): the answer is bad, not the connection, so it is no network error.
   */
  private static boolean unreadable(SdkException thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonProcessingException) {
        return true;
      }
    }
    return false;
  }

  private static UpstreamFailure byStatus(String targetId, AwsServiceException service, int status, String label) {
    if (status == 429) {
      return UpstreamFailure.http(FailureKind.RATE_LIMITED, status, label, 0);
    }
    if (status >= 500 || status == 408) {
      return UpstreamFailure.http(FailureKind.SERVER_ERROR, status, label, 0);
    }
    if (status == 401 || status == 403) {
      return UpstreamFailure.http(FailureKind.AUTH_REJECTED, status, label, 0);
    }
    if (status == 404) {
      return UpstreamFailure.http(FailureKind.UPSTREAM_NOT_FOUND, status, label, 0);
    }
    if (status >= 400) {
      String message =
          service.awsErrorDetails() == null || service.awsErrorDetails().errorMessage() == null
              ? "no error message"
              : service.awsErrorDetails().errorMessage();
      return UpstreamFailure.rejected(
          status,
          new ApiError(
              status,
              "Upstream '" + targetId + "' rejected the request: " + Redaction.redact(message, Optional.empty()),
              ApiError.INVALID_REQUEST,
              null,
              "upstream_rejected",
              0));
    }
    return UpstreamFailure.http(FailureKind.BAD_RESPONSE, status, "unexpected " + label, 0);
  }
}
