package dev.tollgate.moderation.function;

import dev.tollgate.config.EnvironmentVariable;

/**
 * Every environment variable the moderation function reads, and nothing reads the environment
 * but through here, so the SAM template test can check that each required one is set.
 */
public enum ModerationEnvironment implements EnvironmentVariable {
  /** The audit table, whose records get the {@code moderation} verdict (key {@code requestId}). */
  AUDIT_TABLE("TOLLGATE_AUDIT_TABLE", Need.REQUIRED),
  /** The counters table, where flags are counted per consumer and window (TTL on). */
  COUNTERS_TABLE("TOLLGATE_COUNTERS_TABLE", Need.REQUIRED),
  /** The config table, whose {@code key#...} items are disabled after too many flags. */
  CONFIG_TABLE("TOLLGATE_CONFIG_TABLE", Need.REQUIRED),
  /** Endpoint override for DynamoDB (DynamoDB Local); unset in AWS. */
  DYNAMODB_ENDPOINT("TOLLGATE_DYNAMODB_ENDPOINT", Need.OPTIONAL),
  /** Endpoint override for Bedrock Runtime's ApplyGuardrail (a loopback stand-in); unset in AWS. */
  GUARDRAIL_ENDPOINT("TOLLGATE_GUARDRAIL_ENDPOINT", Need.OPTIONAL),
  /** CloudWatch namespace of the EMF metrics (read by Powertools); default {@code Tollgate}. */
  METRICS_NAMESPACE("POWERTOOLS_METRICS_NAMESPACE", Need.OPTIONAL),
  /** Set by the Lambda runtime. */
  AWS_REGION("AWS_REGION", Need.SET_BY_LAMBDA);

  private final String variable;
  private final Need need;

  ModerationEnvironment(String variable, Need need) {
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
