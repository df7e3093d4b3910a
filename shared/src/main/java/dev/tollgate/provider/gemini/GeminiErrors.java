package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import java.io.IOException;
import java.util.Optional;

/**
 * Classifies a Gemini error answer ({@code {"error":{code,message,status,details}}}). The HTTP
 * status decides, as for every provider, with two Gemini habits on top: a wrong API key comes back
 * as 400 {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID} (a fault of the target, so
 * another may be tried), and a 429 names its wait in a {@code RetryInfo} detail rather than a
 * {@code Retry-After} header.
 */
final class GeminiErrors {

  private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
  private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

  private GeminiErrors() {}

  static UpstreamFailure classify(String targetId, UpstreamHttp.Result result, Optional<Secret> secret) {
    JsonNode error = errorOf(result.body());
    int status = result.status();
    if (status == 400 && hasDetail(error, ERROR_INFO, "reason", "API_KEY_INVALID")) {
      return UpstreamFailure.http(FailureKind.AUTH_REJECTED, status, "HTTP 400, API key not valid", 0);
    }
    if (status == 429 && result.headers().firstValue("retry-after").isEmpty()) {
      long delay = retryDelaySeconds(error);
      if (delay > 0) {
        return UpstreamFailure.http(FailureKind.RATE_LIMITED, status, "HTTP 429", delay);
      }
    }
    JsonNode message = error.path("message");
    return HttpFailures.classify(
        targetId, result, message.isTextual() ? Optional.of(message.asText()) : Optional.empty(), secret);
  }

  private static JsonNode errorOf(byte[] body) {
    try {
      return Json.parse(body).path("error");
    } catch (IOException | RuntimeException notJson) {
      return MissingNode.getInstance();
    }
  }

  private static boolean hasDetail(JsonNode error, String type, String field, String value) {
    for (JsonNode detail : error.path("details")) {
      if (type.equals(detail.path("@type").asText()) && value.equals(detail.path(field).asText())) {
        return true;
      }
    }
    return false;
  }

  /** Whole seconds, rounded up, of a {@code RetryInfo.retryDelay} such as {@code "37s"} or {@code "1.5s"}; 0 if none. */
  static long retryDelaySeconds(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      String delay = detail.path("retryDelay").asText("");
      if (RETRY_INFO.equals(detail.path("@type").asText()) && delay.endsWith("s")) {
        try {
          return Math.max(1, (long) Math.ceil(Double.parseDouble(delay.substring(0, delay.length() - 1))));
        } catch (NumberFormatException ignored) {
          return 0;
        }
      }
    }
    return 0;
  }
}
