package dev.tollgate.moderation;

import dev.tollgate.api.ApiError;

/** The errors an input guardrail answers; stable codes clients may act on. */
public final class GuardrailErrors {

  public static final String BLOCKED = "guardrail_blocked";
  public static final String UNAVAILABLE = "guardrail_unavailable";

  private GuardrailErrors() {}

  /** 400: the guardrail intervened; its own message (never the prompt) is passed on. */
  public static ApiError blocked(String rule, String reason) {
    String message = "The request was blocked by guardrail '" + rule + "'" + (reason.isBlank() ? "." : ": " + reason.strip());
    return new ApiError(400, message, ApiError.INVALID_REQUEST, null, BLOCKED, 0);
  }

  /** 503: the guardrail could not be asked and the rule fails closed. */
  public static ApiError unavailable(String rule) {
    return new ApiError(
        503,
        "The content guardrail '" + rule + "' could not check the request; try again shortly.",
        ApiError.SERVER,
        null,
        UNAVAILABLE,
        1);
  }
}
