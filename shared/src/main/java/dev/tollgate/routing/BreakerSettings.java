package dev.tollgate.routing;

import java.time.Duration;

/**
 * When a target's circuit breaker opens and how long it stays open.
 *
 * @param failures consecutive failures that open the breaker; 0 turns the breaker off
 * @param errorRate the share of failed calls (0 to 1) that opens it, once {@code minCalls} calls
 *     fell within {@code window}
 * @param cooldown how long an open breaker refuses calls before it lets one probe through
 */
public record BreakerSettings(int failures, double errorRate, int minCalls, Duration window, Duration cooldown) {

  public static final int DEFAULT_FAILURES = 5;
  public static final double DEFAULT_ERROR_RATE = 0.5;
  public static final int DEFAULT_MIN_CALLS = 20;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);

  public static final BreakerSettings DEFAULTS =
      new BreakerSettings(DEFAULT_FAILURES, DEFAULT_ERROR_RATE, DEFAULT_MIN_CALLS, DEFAULT_WINDOW, DEFAULT_COOLDOWN);

  /** Never opens (upstream {@code Retry-After} cooldowns still apply). */
  public static final BreakerSettings OFF = new BreakerSettings(0, 1, 1, DEFAULT_WINDOW, DEFAULT_COOLDOWN);

  public boolean enabled() {
    return failures > 0;
  }
}
