package dev.tollgate.pipeline;

/**
 * One upstream attempt of a request, for headers, errors, metrics and (later) the audit record.
 *
 * @param outcome "ok" or the failure's label and detail, e.g. "server error (HTTP 500)"
 */
public record Attempt(String targetId, boolean succeeded, String outcome, long elapsedMillis) {

  public String describe() {
    return targetId + ": " + outcome;
  }
}
