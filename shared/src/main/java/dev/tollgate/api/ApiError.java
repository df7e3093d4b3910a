package dev.tollgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered to the client, in OpenAI's shape {@code {"error":{message,type,param,code}}}.
 *
 * <p>{@code retryAfterSeconds} is sent as {@code Retry-After} when positive.
 */
public record ApiError(
    int status, String message, String type, String param, String code, long retryAfterSeconds) {

  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String AUTHENTICATION = "authentication_error";
  public static final String PERMISSION = "permission_error";
  public static final String NOT_FOUND = "not_found_error";
  public static final String SERVER = "server_error";

  public ApiError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
  }

  public static ApiError invalidJson(String detail) {
    return new ApiError(
        400,
        "The request body is not valid JSON: " + detail,
        INVALID_REQUEST,
        null,
        "invalid_json",
        0);
  }

  public static ApiError invalidField(String param, String message) {
    return new ApiError(400, message, INVALID_REQUEST, param, "invalid_value", 0);
  }

  public static ApiError missingField(String param) {
    return new ApiError(
        400,
        "Missing required parameter: '" + param + "'.",
        INVALID_REQUEST,
        param,
        "missing_required_parameter",
        0);
  }

  public static ApiError missingApiKey() {
    return new ApiError(
        401,
        "Missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.",
        AUTHENTICATION,
        null,
        "missing_api_key",
        0);
  }

  /** One answer for unknown, disabled and malformed keys alike, so a caller learns nothing. */
  public static ApiError invalidApiKey() {
    return new ApiError(
        401, "Invalid API key.", AUTHENTICATION, null, "invalid_api_key", 0);
  }

  public static ApiError modelNotAllowed(String alias) {
    return new ApiError(
        403,
        "This API key is not allowed to use the model '" + alias + "'.",
        PERMISSION,
        "model",
        "model_not_allowed",
        0);
  }

  public static ApiError modelNotFound(String alias) {
    return new ApiError(
        404,
        "The model '" + alias + "' does not exist. GET /v1/models lists the models you can use.",
        INVALID_REQUEST,
        "model",
        "model_not_found",
        0);
  }

  /** The alias exists but a target of it cannot serve this endpoint (e.g. chat on an embedding model). */
  public static ApiError modelNotSupported(String alias, String endpoint, String reason) {
    return new ApiError(
        400,
        "The model '" + alias + "' cannot serve " + endpoint + ": " + reason + ".",
        INVALID_REQUEST,
        "model",
        "model_not_supported",
        0);
  }

  public static ApiError notFound(String method, String path) {
    return new ApiError(
        404,
        "Unknown endpoint: " + method + " " + path + ".",
        INVALID_REQUEST,
        null,
        "unknown_url",
        0);
  }

  public static ApiError methodNotAllowed(String method, String path) {
    return new ApiError(
        405,
        "Method " + method + " is not allowed on " + path + ".",
        INVALID_REQUEST,
        null,
        "method_not_allowed",
        0);
  }

  public static ApiError tooLarge(long limitBytes) {
    return new ApiError(
        413,
        "The request body exceeds the limit of " + limitBytes + " bytes.",
        INVALID_REQUEST,
        null,
        "request_too_large",
        0);
  }

  public static ApiError noTargetAvailable(String alias) {
    return new ApiError(
        503,
        "The model '" + alias + "' has no enabled target at the moment.",
        SERVER,
        null,
        "no_target_available",
        0);
  }

  public static ApiError configUnavailable() {
    return new ApiError(
        503,
        "The gateway could not load its configuration; try again shortly.",
        SERVER,
        null,
        "config_unavailable",
        1);
  }

  public static ApiError internal(String requestId) {
    return new ApiError(
        500,
        "The gateway failed to handle the request (request id " + requestId + ").",
        SERVER,
        null,
        "internal_error",
        0);
  }

  public ApiError withRetryAfter(long seconds) {
    return new ApiError(status, message, type, param, code, seconds);
  }

  public ObjectNode toJson() {
    ObjectNode error = Json.object();
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    ObjectNode root = Json.object();
    root.set("error", error);
    return root;
  }
}
