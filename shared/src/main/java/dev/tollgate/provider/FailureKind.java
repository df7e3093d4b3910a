package dev.tollgate.provider;

/** Why an upstream attempt failed, and whether another target may be tried. */
public enum FailureKind {
  /** Could not connect, or the connection broke (reset, closed early). */
  NETWORK_ERROR(true, "network error"),
  /** No complete answer within the attempt's timeout. */
  TIMED_OUT(true, "timed out"),
  /** HTTP 429 from the upstream. */
  RATE_LIMITED(true, "rate limited"),
  /** HTTP 5xx or 408 from the upstream. */
  SERVER_ERROR(true, "server error"),
  /** A 2xx answer that is not a chat completion (empty, malformed JSON, wrong shape). */
  BAD_RESPONSE(true, "malformed response"),
  /** The target's credential could not be resolved: a fault of this target, not of the request. */
  NO_CREDENTIAL(true, "credential unavailable"),
  /** HTTP 401/403: the upstream refused the gateway's credential; another target may work. */
  AUTH_REJECTED(true, "credential rejected"),
  /** HTTP 404: the target's model or deployment does not exist upstream. */
  UPSTREAM_NOT_FOUND(true, "model not found upstream"),
  /** Any other 4xx: the request itself is wrong, so every target would refuse it too. */
  REQUEST_REJECTED(false, "request rejected");

  private final boolean triesNextTarget;
  private final String label;

  FailureKind(boolean triesNextTarget, String label) {
    this.triesNextTarget = triesNextTarget;
    this.label = label;
  }

  public boolean triesNextTarget() {
    return triesNextTarget;
  }

  public String label() {
    return label;
  }
}
