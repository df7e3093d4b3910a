package dev.tollgate.routing;

/**
 * What the gateway knows of one target's recent behaviour.
 *
 * @param calls calls the figures rest on
 * @param latencyMs total time of a successful call; NaN when none succeeded
 * @param ttftMs time to first byte of a streamed call; NaN when none was streamed
 * @param errorRate share of calls that failed through the target's fault (0 to 1)
 * @param rate429 share of calls answered 429
 * @param timeoutRate share of calls that timed out
 */
public record TargetHealth(
    long calls, double latencyMs, double ttftMs, double errorRate, double rate429, double timeoutRate) {

  public static final TargetHealth NONE = new TargetHealth(0, Double.NaN, Double.NaN, 0, 0, 0);

  /** The latency a request of this kind waits for: time to first byte for streams when known. */
  public double latencyFor(boolean streamed) {
    return streamed && !Double.isNaN(ttftMs) ? ttftMs : latencyMs;
  }

  /**
   * This instance's figures blended with the cluster's: each side weighs as many calls as it
   * rests on, at most {@link #BLEND_CAP}, so a fresh instance leans on the cluster and a busy
   * one on its own quicker EWMA. {@code calls} is the larger of the two.
   */
  public static TargetHealth blend(TargetHealth local, TargetHealth cluster) {
    double a = Math.min(local.calls, BLEND_CAP);
    double b = Math.min(cluster.calls, BLEND_CAP);
    if (b == 0) {
      return local;
    }
    if (a == 0) {
      return cluster;
    }
    return new TargetHealth(
        Math.max(local.calls, cluster.calls),
        mix(local.latencyMs, a, cluster.latencyMs, b),
        mix(local.ttftMs, a, cluster.ttftMs, b),
        mix(local.errorRate, a, cluster.errorRate, b),
        mix(local.rate429, a, cluster.rate429, b),
        mix(local.timeoutRate, a, cluster.timeoutRate, b));
  }

  /** The most calls either side of a blend counts with. */
  public static final int BLEND_CAP = 20;

  private static double mix(double x, double a, double y, double b) {
    if (Double.isNaN(x)) {
      return y;
    }
    if (Double.isNaN(y)) {
      return x;
    }
    return (x * a + y * b) / (a + b);
  }
}
