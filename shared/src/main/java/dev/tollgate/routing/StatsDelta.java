package dev.tollgate.routing;

/**
 * Sums of calls to one target over some span, as one instance adds them to the shared store.
 *
 * @param errors failed calls the target is to blame for (429s and timeouts included)
 * @param latencyMsSum total time of the successful calls, milliseconds
 * @param ttftMsSum time to first byte of the successful streamed calls, over {@code ttftCount}
 */
public record StatsDelta(
    long calls, long errors, long rateLimited, long timeouts, long latencyMsSum, long ttftMsSum, long ttftCount) {

  public static final StatsDelta ZERO = new StatsDelta(0, 0, 0, 0, 0, 0, 0);

  public StatsDelta plus(StatsDelta other) {
    return new StatsDelta(
        calls + other.calls,
        errors + other.errors,
        rateLimited + other.rateLimited,
        timeouts + other.timeouts,
        latencyMsSum + other.latencyMsSum,
        ttftMsSum + other.ttftMsSum,
        ttftCount + other.ttftCount);
  }

  /** These sums as health figures: plain means and shares. */
  public TargetHealth health() {
    if (calls == 0) {
      return TargetHealth.NONE;
    }
    long ok = calls - errors;
    return new TargetHealth(
        calls,
        ok > 0 ? (double) latencyMsSum / ok : Double.NaN,
        ttftCount > 0 ? (double) ttftMsSum / ttftCount : Double.NaN,
        (double) errors / calls,
        (double) rateLimited / calls,
        (double) timeouts / calls);
  }
}
