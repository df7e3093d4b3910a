package dev.tollgate.config;

import dev.tollgate.routing.BreakerSettings;
import java.time.Duration;

/**
 * Gateway-wide settings.
 *
 * @param maxAttempts upstream attempts per request, across targets and tiers
 * @param maxRequestBytes the largest request body accepted
 * @param requestTimeout the budget for all attempts of one request together
 * @param auditRetentionDays how long audit records are kept (their TTL)
 * @param breaker when a target's circuit breaker opens and for how long
 */
public record Settings(
    int maxAttempts, long maxRequestBytes, Duration requestTimeout, int auditRetentionDays, BreakerSettings breaker) {

  /** Settings with the default circuit breaker. */
  public Settings(int maxAttempts, long maxRequestBytes, Duration requestTimeout, int auditRetentionDays) {
    this(maxAttempts, maxRequestBytes, requestTimeout, auditRetentionDays, BreakerSettings.DEFAULTS);
  }

  /** How long audit records are kept unless settings say otherwise. */
  public static final int DEFAULT_AUDIT_RETENTION_DAYS = 30;
  /** DynamoDB TTL accepts any date; ten years bounds a typo. */
  public static final int MAX_AUDIT_RETENTION_DAYS = 3650;

  /** Settings with the default audit retention. */
  public Settings(int maxAttempts, long maxRequestBytes, Duration requestTimeout) {
    this(maxAttempts, maxRequestBytes, requestTimeout, DEFAULT_AUDIT_RETENTION_DAYS);
  }

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;
  /** Lambda refuses synchronous payloads over 6 MB, so no limit above it would hold. */
  public static final long MAX_REQUEST_BYTES_CEILING = 6L * 1024 * 1024;
  /** Under API Gateway's 30 s HTTP API limit, so the gateway answers before API Gateway gives up. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(28);

  public static final Settings DEFAULTS =
      new Settings(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT);
}
