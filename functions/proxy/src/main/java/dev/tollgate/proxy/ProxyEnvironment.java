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
  /** Seconds between merges of target statistics into the counters table (and reads back); default 5. */
  STATS_SYNC_SECONDS("TOLLGATE_STATS_SYNC_SECONDS", Need.OPTIONAL),
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
  /**
   * RagFunction's name or ARN: knowledge-base retrieval goes there over Lambda Invoke; unset, a
   * route with a knowledge base fails retrieval (and its setting decides what that means).
   */
  RAG_FUNCTION("TOLLGATE_RAG_FUNCTION", Need.OPTIONAL),
  /** Milliseconds one retrieval call may take, connecting included; default 5000. */
  RAG_TIMEOUT_MS("TOLLGATE_RAG_TIMEOUT_MS", Need.OPTIONAL),
  /** Endpoint override for Lambda (a loopback stand-in); unset in AWS. */
  LAMBDA_ENDPOINT("TOLLGATE_LAMBDA_ENDPOINT", Need.OPTIONAL),
  /** Bedrock model the semantic features embed with; default Titan Text Embeddings v2. Must match ingestion. */
  EMBEDDING_MODEL("TOLLGATE_EMBEDDING_MODEL", Need.OPTIONAL),
  /** Vector size, 256, 512 or 1024; default 512. Must match ingestion. */
  EMBEDDING_DIMENSIONS("TOLLGATE_EMBEDDING_DIMENSIONS", Need.OPTIONAL),
  /** Endpoint override for Bedrock Runtime's InvokeModel of the embedding model (a loopback stand-in); unset in AWS. */
  BEDROCK_ENDPOINT("TOLLGATE_BEDROCK_ENDPOINT", Need.OPTIONAL),
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
