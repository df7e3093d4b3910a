package dev.tollgate.routing;

import dev.tollgate.provider.FailureKind;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One circuit breaker per target id, in this instance's memory, shared by every request: closed,
 * open after too many failures, half-open (one probe at a time) once the cool-down is over,
 * closed again when the probe answers. Beside the breaker, an upstream 429 with
 * {@code Retry-After} pauses its target until then (capped at {@link #MAX_RETRY_AFTER}), whatever
 * the counts say. Thresholds come with each call so a config reload applies at once.
 */
public final class CircuitBreakers {

  /** The longest pause an upstream {@code Retry-After} can impose on a target. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** Why a target is not called now, and when that ends. */
  public record Block(String detail, Instant until) {}

  private final InstantSource clock;
  private final Metrics metrics;
  private final ConcurrentMap<String, TargetBreaker> breakers = new ConcurrentHashMap<>();

  public CircuitBreakers(InstantSource clock, Metrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Whether {@code targetId} is paused: open, cooling down after a {@code Retry-After}, or half-open
   * with its probe already out. A half-open target whose probe slot is free is not blocked.
   */
  public Optional<Block> blocked(String targetId, BreakerSettings settings) {
    TargetBreaker breaker = breakers.get(targetId);
    return breaker == null ? Optional.empty() : breaker.blocked(clock.instant(), settings);
  }

  /**
   * Claims the right to call {@code targetId} now: always for a closed breaker, only the one probe
   * for a half-open one. A claimed call must end in {@link #succeeded}, {@link #failed} or
   * {@link #released}.
   */
  public boolean tryAcquire(String targetId, BreakerSettings settings) {
    TargetBreaker breaker = breakers.get(targetId);
    return breaker == null || breaker.tryAcquire(clock.instant(), settings);
  }

  /** The call answered: a half-open breaker closes, the consecutive count starts over. */
  public void succeeded(String targetId, BreakerSettings settings) {
    if (settings.enabled()) { // successes count towards the error rate's minimum of calls
      breakers.computeIfAbsent(targetId, id -> new TargetBreaker()).succeeded(clock.instant(), settings);
    }
  }

  /**
   * The call failed with {@code kind}. Failures the target is not to blame for (the request was
   * rejected as invalid) only give back a probe slot. A {@code retryAfterSeconds} over 0 on a 429
   * pauses the target until then, capped.
   *
   * @return why the breaker opened, when this failure opened it
   */
  public Optional<String> failed(String targetId, FailureKind kind, long retryAfterSeconds, BreakerSettings settings) {
    TargetBreaker breaker = breakers.computeIfAbsent(targetId, id -> new TargetBreaker());
    Instant now = clock.instant();
    if (kind == FailureKind.RATE_LIMITED && retryAfterSeconds > 0) {
      breaker.coolDownUntil(now.plus(retryAfter(retryAfterSeconds)));
    }
    if (!countsAgainstTarget(kind)) {
      breaker.released();
      return Optional.empty();
    }
    Optional<String> opened = breaker.failed(now, settings);
    opened.ifPresent(reason -> metrics.increment(MetricNames.BREAKER_OPENED));
    return opened;
  }

  /** A claimed call that was never made (a limit skipped the target, the budget ran out). */
  public void released(String targetId) {
    TargetBreaker breaker = breakers.get(targetId);
    if (breaker != null) {
      breaker.released();
    }
  }

  /** The breakers' clock, for turning a pause's end into seconds. */
  public Instant now() {
    return clock.instant();
  }

  /** Every failure another target might not have; a request the upstream rejects as invalid is not the target's fault. */
  static boolean countsAgainstTarget(FailureKind kind) {
    return kind.triesNextTarget();
  }

  /** {@code seconds} as a pause, at most {@link #MAX_RETRY_AFTER}. */
  static Duration retryAfter(long seconds) {
    return seconds >= MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofSeconds(Math.max(0, seconds));
  }
}
