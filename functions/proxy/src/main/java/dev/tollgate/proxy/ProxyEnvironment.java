package dev.tollgate.proxy;

import dev.tollgate.config.EnvironmentVariable;

/**
 * Every environment variable the proxy reads, and nothing reads the environment but through
 * here, so the SAM template test can check that each required one is set.
 */
public enum ProxyEnvironment implements EnvironmentVariable {
  /** Name of the config table (routes, targets, keys, settings). */
  CONFIG_TABLE("TOLLGATE_CONFIG_TABLE", Need.REQUIRED),
  /** Name of the counters table (limit counters and settlement markers, TTL on). */
  COUNTERS_TABLE("TOLLGATE_COUNTERS_TABLE", Need.REQUIRED),
  /** Name of the audit table (one record per request, TTL on, index byConsumer). */
  AUDIT_TABLE("TOLLGATE_AUDIT_TABLE", Need.REQUIRED),
  /**
   * Name of the response cache table (key {@code key}, TTL on); unset leaves cache policies without
   * a store: every lookup misses and nothing is stored.
   */
  CACHE_TABLE("TOLLGATE_CACHE_TABLE", Need.OPTIONAL),
  /** Secrets Manager name prefix the function may read, e.g. {@code tollgate/}. */
  SECRET_PREFIX("TOLLGATE_SECRET_PREFIX", Need.REQUIRED),
  /** Seconds between config reloads; default 15. */
  CONFIG_REFRESH_SECONDS("TOLLGATE_CONFIG_REFRESH_SECONDS", Need.OPTIONAL),
  /** Endpoint override for DynamoDB (DynamoDB Local, sam local); unset in AWS. */
  DYNAMODB_ENDPOINT("TOLLGATE_DYNAMODB_ENDPOINT", Need.OPTIONAL),
  /** Endpoint override for Secrets Manager (a loopback stand-in); unset in AWS. */
  SECRETSMANAGER_ENDPOINT("TOLLGATE_SECRETSMANAGER_ENDPOINT", Need.OPTIONAL),
  /**
   * URL of the SQS queue answers are sent to for output moderation; unset turns output moderation
   * off (a guardrail with {@code output: true} then logs a warning once).
   */
  MODERATION_QUEUE_URL("TOLLGATE_MODERATION_QUEUE_URL", Need.OPTIONAL),
  /** Endpoint override for SQS (ElasticMQ or another loopback stand-in); unset in AWS. */
  SQS_ENDPOINT("TOLLGATE_SQS_ENDPOINT", Need.OPTIONAL),
  /** Endpoint override for Bedrock Runtime's ApplyGuardrail (a loopback stand-in); unset in AWS. */
  GUARDRAIL_ENDPOINT("TOLLGATE_GUARDRAIL_ENDPOINT", Need.OPTIONAL),
  /** CloudWatch namespace of the EMF metrics (read by Powertools); default {@code Tollgate}. */
  METRICS_NAMESPACE("POWERTOOLS_METRICS_NAMESPACE", Need.OPTIONAL),
  /**
   * Port of the streaming function's HTTP server, which the Lambda Web Adapter also reads; the
   * buffered function ignores it. Default 8080, the adapter's default.
   */
  LWA_PORT("AWS_LWA_PORT", Need.OPTIONAL),
  /** The older name of {@link #LWA_PORT}, read when that is unset. */
  PORT("PORT", Need.OPTIONAL),
  /** Set by the Lambda runtime. */
  AWS_REGION("AWS_REGION", Need.SET_BY_LAMBDA);

  private final String variable;
  private final Need need;

  ProxyEnvironment(String variable, Need need) {
    this.variable = variable;
    this.need = need;
  }

  @Override
  public String variable() {
    return variable;
  }

  @Override
  public Need need() {
    return need;
  }
}
