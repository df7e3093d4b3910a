package dev.tollgate.routing;

import dev.tollgate.provider.FailureKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * This instance's view of each target (key {@code alias#targetId}): exponentially weighted moving
 * averages of latency, time to first byte and the error, 429 and timeout rates (each an EWMA of 0
 * or 1 per call), a call count, and the sums not yet merged into the shared store. Each target has
 * its own lock, held for a few field updates; there is no lock across targets.
 */
public final class TargetStats {

  /** The weight of the newest call in the latency averages (about the last ten calls count). */
  public static final double LATENCY_ALPHA = 0.2;
  /** The weight of the newest call in the rates (about the last twenty calls count). */
  public static final double RATE_ALPHA = 0.1;

  private final ConcurrentMap<String, Cell> cells = new ConcurrentHashMap<>();

  /** The key of a target's figures, breaker and pause: ids need only be unique within their alias. */
  public static String key(Target target) {
    return target.alias() + "#" + target.id();
  }

  /** A call that answered, {@code ttftNanos} below 0 when it was not streamed. */
  public void succeeded(String key, long latencyNanos, long ttftNanos) {
    cells.computeIfAbsent(key, k -> new Cell()).record(null, latencyNanos, ttftNanos);
  }

  /** A call that failed with {@code kind}; failures that are not the target's fault are not counted. */
  public void failed(String key, FailureKind kind) {
    if (CircuitBreakers.countsAgainstTarget(kind)) {
      cells.computeIfAbsent(key, k -> new Cell()).record(kind, -1, -1);
    }
  }

  /** This instance's averages for {@code key}, {@link TargetHealth#NONE} before its first call. */
  public TargetHealth health(String key) {
    Cell cell = cells.get(key);
    return cell == null ? TargetHealth.NONE : cell.health();
  }

  /** Takes the sums gathered since the last drain, for the shared store. */
  public Map<String, StatsDelta> drain() {
    Map<String, StatsDelta> drained = new HashMap<>();
    cells.forEach((key, cell) -> cell.drain().ifPresent(delta -> drained.put(key, delta)));
    return drained;
  }

  /** Puts back sums the store did not take, so the next flush carries them. */
  public void restore(Map<String, StatsDelta> deltas) {
    deltas.forEach((key, delta) -> cells.computeIfAbsent(key, k -> new Cell()).restore(delta));
  }

  private static final class Cell {
    private long calls;
    private double latencyMs = Double.NaN;
    private double ttftMs = Double.NaN;
    private double errorRate;
    private double rate429;
    private double timeoutRate;
    private StatsDelta pending = StatsDelta.ZERO;

    synchronized void record(FailureKind failure, long latencyNanos, long ttftNanos) {
      calls++;
      boolean error = failure != null;
      boolean limited = failure == FailureKind.RATE_LIMITED;
      boolean timeout = failure == FailureKind.TIMED_OUT;
      errorRate = ewma(errorRate, error ? 1 : 0, RATE_ALPHA);
      rate429 = ewma(rate429, limited ? 1 : 0, RATE_ALPHA);
      timeoutRate = ewma(timeoutRate, timeout ? 1 : 0, RATE_ALPHA);
      long latency = 0;
      long ttft = 0;
      if (!error) {
        latency = latencyNanos / 1_000_000;
        latencyMs = Double.isNaN(latencyMs) ? latencyNanos / 1e6 : ewma(latencyMs, latencyNanos / 1e6, LATENCY_ALPHA);
        if (ttftNanos >= 0) {
          ttft = ttftNanos / 1_000_000;
          ttftMs = Double.isNaN(ttftMs) ? ttftNanos / 1e6 : ewma(ttftMs, ttftNanos / 1e6, LATENCY_ALPHA);
        }
      }
      pending = pending.plus(new StatsDelta(1, error ? 1 : 0, limited ? 1 : 0, timeout ? 1 : 0, latency, ttft,
          !error && ttftNanos >= 0 ? 1 : 0));
    }

    synchronized TargetHealth health() {
      // the rates start from 0, so early on they read low: divided by the weight their samples carry
      // so far (1 - (1 - alpha)^calls), a target that failed 3 of its first 5 calls reads 0.6, not 0.25
      double weight = calls == 0 ? 1 : 1 - Math.pow(1 - RATE_ALPHA, calls);
      return new TargetHealth(calls, latencyMs, ttftMs, errorRate / weight, rate429 / weight, timeoutRate / weight);
    }

    synchronized Optional<StatsDelta> drain() {
      StatsDelta taken = pending;
      pending = StatsDelta.ZERO;
      return taken.calls() == 0 ? Optional.empty() : Optional.of(taken);
    }

    synchronized void restore(StatsDelta delta) {
      pending = pending.plus(delta);
    }

    private static double ewma(double average, double sample, double alpha) {
      return average + alpha * (sample - average);
    }
  }
}
