package dev.tollgate.rag.function;

import dev.tollgate.config.EnvironmentVariable;

/**
 * Every environment variable RagFunction reads, and nothing reads the environment but through
 * here, so the SAM template test can check that each required one is set.
 */
public enum RagEnvironment implements EnvironmentVariable {
  /** The knowledge table: chunks and base items, key {@code kb} + {@code sk}. */
  KNOWLEDGE_TABLE("TOLLGATE_KNOWLEDGE_TABLE", Need.REQUIRED),
  /** Bedrock model that embeds queries; default Titan Text Embeddings v2. Must be the one ingestion used. */
  EMBEDDING_MODEL("TOLLGATE_EMBEDDING_MODEL", Need.OPTIONAL),
  /** Vector size, 256, 512 or 1024; default 512. Must be the one ingestion used. */
  EMBEDDING_DIMENSIONS("TOLLGATE_EMBEDDING_DIMENSIONS", Need.OPTIONAL),
  /** Endpoint override for DynamoDB (DynamoDB Local); unset in AWS. */
  DYNAMODB_ENDPOINT("TOLLGATE_DYNAMODB_ENDPOINT", Need.OPTIONAL),
  /** Endpoint override for Bedrock Runtime's InvokeModel (a loopback stand-in); unset in AWS. */
  BEDROCK_ENDPOINT("TOLLGATE_BEDROCK_ENDPOINT", Need.OPTIONAL),
  /** Endpoint override for Bedrock Agent Runtime's Retrieve (a loopback stand-in); unset in AWS. */
  BEDROCK_AGENT_ENDPOINT("TOLLGATE_BEDROCK_AGENT_ENDPOINT", Need.OPTIONAL),
  /** CloudWatch namespace of the EMF metrics (read by Powertools); default {@code Tollgate}. */
  METRICS_NAMESPACE("POWERTOOLS_METRICS_NAMESPACE", Need.OPTIONAL),
  /** Set by the Lambda runtime. */
  AWS_REGION("AWS_REGION", Need.SET_BY_LAMBDA);

  private final String variable;
  private final Need need;

  RagEnvironment(String variable, Need need) {
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
