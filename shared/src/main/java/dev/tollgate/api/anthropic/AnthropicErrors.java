package dev.tollgate.api.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;

/**
 * An {@link ApiError} in Anthropic's shape {@code {"type":"error","error":{"type","message"}}}.
 * The status stays ours; only the error type follows Anthropic's names, so SDKs pick the right
 * exception and retry rule.
 */
public final class AnthropicErrors {

  private AnthropicErrors() {}

  public static ObjectNode body(ApiError error) {
    return body(type(error.status()), error.message());
  }

  public static ObjectNode body(String type, String message) {
    ObjectNode root = Json.object();
    root.put("type", "error");
    ObjectNode body = root.putObject("error");
    body.put("type", type);
    body.put("message", message);
    return root;
  }

  /** Anthropic's error type for an HTTP status. */
  public static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
