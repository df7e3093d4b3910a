package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.pipeline.Attempt;
import dev.tollgate.provider.FailureKind;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The error a client sees when every attempt failed: 504 when all timed out, 503 when all were
 * rate limited (with the shortest {@code Retry-After} the upstreams gave), otherwise 502. The
 * message names each target tried and what happened, never a credential.
 */
final class UpstreamErrors {

  private UpstreamErrors() {}

  record Failed(Attempt attempt, FailureKind kind, long retryAfterSeconds) {}

  static ApiError exhausted(String alias, List<Failed> failures, boolean budgetExhausted) {
    String tried = failures.stream().map(f -> f.attempt().describe()).collect(Collectors.joining("; "));
    String message =
        "No upstream could answer for model '" + alias + "' (tried " + failures.size() + ": " + tried + ")"
            + (budgetExhausted ? "; the request's time budget ran out." : ".");
    if (failures.stream().allMatch(f -> f.kind() == FailureKind.TIMED_OUT) || budgetExhausted) {
      return new ApiError(504, message, ApiError.SERVER, null, "upstream_timeout", 0);
    }
    if (failures.stream().allMatch(f -> f.kind() == FailureKind.RATE_LIMITED)) {
      long retryAfter =
          failures.stream().mapToLong(Failed::retryAfterSeconds).filter(s -> s > 0).min().orElse(1);
      return new ApiError(503, message, ApiError.SERVER, null, "upstream_rate_limited", retryAfter);
    }
    return new ApiError(502, message, ApiError.SERVER, null, "upstream_error", 0);
  }
}
