package dev.tollgate.rag;

import dev.tollgate.api.ApiError;

/** The errors retrieval answers; stable codes clients may act on. */
public final class RagErrors {

  public static final String KB_NOT_ALLOWED = "kb_not_allowed";
  public static final String KB_REQUIRED = "kb_required";
  public static final String UNAVAILABLE = "retrieval_unavailable";

  private RagErrors() {}

  /**
   * 403: no retrieval policy for this model and caller names {@code kb}. The same answer whether
   * or not such a knowledge base exists, so callers cannot probe for them.
   */
  public static ApiError kbNotAllowed(String kb) {
    return new ApiError(
        403,
        "Knowledge base '" + kb + "' is not available for this model and API key.",
        ApiError.PERMISSION,
        "tollgate.kb",
        KB_NOT_ALLOWED,
        0);
  }

  /** 403: the request asked for no retrieval, but the policy for this model and caller is not optional. */
  public static ApiError kbRequired() {
    return new ApiError(
        403,
        "Retrieval cannot be turned off for this model and API key ('tollgate.kb': 'none' is not allowed here).",
        ApiError.PERMISSION,
        "tollgate.kb",
        KB_REQUIRED,
        0);
  }

  /** 503: the knowledge base could not be searched and the policy says fail. */
  public static ApiError unavailable(String policy) {
    return new ApiError(
        503,
        "The knowledge base of retrieval policy '" + policy + "' could not be searched; try again shortly.",
        ApiError.SERVER,
        null,
        UNAVAILABLE,
        1);
  }
}
