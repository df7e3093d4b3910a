package dev.tollgate.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Classifies a non-2xx upstream answer into an {@link UpstreamFailure}. */
public final class HttpFailures {

  private HttpFailures() {}

  /**
   * @param errorMessage the upstream's own error message, already extracted from its format
   */
  public static UpstreamFailure classify(
      String targetId, UpstreamHttp.Result result, Optional<String> errorMessage, Optional<Secret> secret) {
    int status = result.status();
    if (status == 429) {
      return UpstreamFailure.http(
          FailureKind.RATE_LIMITED, status, "HTTP 429", retryAfterSeconds(result.headers()));
    }
    if (status >= 500 || status == 408) {
      return UpstreamFailure.http(FailureKind.SERVER_ERROR, status, "HTTP " + status, 0);
    }
    if (status == 401 || status == 403) {
      return UpstreamFailure.http(FailureKind.AUTH_REJECTED, status, "HTTP " + status + ", credential rejected", 0);
    }
    if (status == 404) {
      return UpstreamFailure.http(FailureKind.UPSTREAM_NOT_FOUND, status, "HTTP 404, model or deployment not found", 0);
    }
    if (status >= 400) {
      String message =
          Redaction.redact(errorMessage.orElse("no error message"), secret);
      ApiError error =
          new ApiError(
              status,
              "Upstream '" + targetId + "' rejected the request: " + message,
              ApiError.INVALID_REQUEST,
              null,
              "upstream_rejected",
              0);
      return UpstreamFailure.rejected(status, error);
    }
    return UpstreamFailure.http(FailureKind.BAD_RESPONSE, status, "unexpected HTTP " + status, 0);
  }

  /** A 2xx body as JSON; an empty or unparseable body is a {@link FailureKind#BAD_RESPONSE}. */
  public static JsonNode parseJsonBody(byte[] body) throws UpstreamFailure {
    if (body.length == 0) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "empty response body");
    }
    try {
      return Json.parse(body);
    } catch (java.io.IOException e) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not valid JSON");
    }
  }

  /** The message of an OpenAI-style error body, if the body is one. */
  public static Optional<String> openAiErrorMessage(byte[] body) {
    try {
      JsonNode message = Json.parse(body).path("error").path("message");
      return message.isTextual() ? Optional.of(message.asText()) : Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static long retryAfterSeconds(HttpHeaders headers) {
    return retryAfterSeconds(headers, java.time.Instant.now());
  }

  /**
   * Seconds from a {@code Retry-After} (seconds or HTTP date, counted from {@code now}) or
   * {@code retry-after-ms}, rounded up; 0 if none or unreadable.
   */
  public static long retryAfterSeconds(HttpHeaders headers, java.time.Instant now) {
    Optional<String> millis = headers.firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Math.max(1, (Long.parseLong(millis.get().trim()) + 999) / 1000);
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    Optional<String> value = headers.firstValue("retry-after");
    if (value.isEmpty()) {
      return 0;
    }
    String text = value.get().trim();
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(text)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, (Duration.between(now, at.toInstant()).toMillis() + 999) / 1000);
      } catch (DateTimeParseException notDate) {
        return 0;
      }
    }
  }
}
