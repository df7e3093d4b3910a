package dev.tollgate.telemetry;

/**
 * One finished request's numbers, reported with dimensions: the model alias, the target that
 * answered and the consumer. Values that were never known (an unknown alias, an unauthenticated
 * caller) are {@link #NONE}, so dimension values come only from config, never from request text.
 *
 * @param error whether the request failed on the gateway's or the upstream's side (5xx, or a
 *     stream that broke after it started)
 * @param costUsd the cost at the target's prices; 0 when unknown
 * @param latencyMs the whole request, until the body was over
 */
public record RequestMetrics(
    String model,
    String target,
    String consumer,
    int status,
    boolean error,
    long tokensIn,
    long tokensOut,
    double costUsd,
    double latencyMs) {

  public static final String NONE = "none";
}
