package dev.tollgate.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK clients once per process: the light URL-connection HTTP client (no Apache,
 * no Netty), an explicit region (so the SDK never probes instance metadata for one), and an
 * optional endpoint override for DynamoDB Local or other loopback stand-ins. Calls are bounded:
 * three attempts within five seconds, so an unreachable service fails a config load quickly
 * (the gateway then keeps its last config) instead of DynamoDB's default of up to nine attempts.
 */
public final class AwsClients {

  private static final ClientOverrideConfiguration BOUNDED_CALLS =
      ClientOverrideConfiguration.builder()
          .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
          .apiCallAttemptTimeout(Duration.ofSeconds(2))
          .apiCallTimeout(Duration.ofSeconds(5))
          .build();

  private static final ClientOverrideConfiguration SINGLE_ATTEMPT =
      ClientOverrideConfiguration.builder()
          .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
          .build();

  private static final ClientOverrideConfiguration SINGLE_ATTEMPT_BOUNDED =
      ClientOverrideConfiguration.builder()
          .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
          .apiCallAttemptTimeout(Duration.ofSeconds(1))
          .apiCallTimeout(Duration.ofSeconds(1))
          .build();

  private AwsClients() {}

  public static DynamoDbClient dynamoDb(Region region, Optional<URI> endpoint) {
    return configured(DynamoDbClient.builder(), region, endpoint).build();
  }

  /**
   * A DynamoDB client that makes one attempt per call within one second, for writers that count
   * their own retries ({@link DynamoDbAuditSink}): SDK retries under them would multiply the
   * round trips a request can pay.
   */
  public static DynamoDbClient dynamoDbSingleAttempt(Region region, Optional<URI> endpoint) {
    return configured(DynamoDbClient.builder(), region, endpoint).overrideConfiguration(SINGLE_ATTEMPT_BOUNDED).build();
  }

  /**
   * A Bedrock Runtime client. Unlike the config clients it makes one attempt only, with no
   * client-wide timeout: each call sets its target's timeout, and the gateway's failover to the
   * next target is the retry (an SDK retry of a throttled call would only spend that budget).
   */
  public static BedrockRuntimeClient bedrockRuntime(Region region, Optional<URI> endpoint) {
    BedrockRuntimeClientBuilder builder =
        BedrockRuntimeClient.builder()
            .region(region)
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .overrideConfiguration(SINGLE_ATTEMPT)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofMinutes(15))
                    .build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * A Bedrock Runtime client for {@code ConverseStream}, which the SDK serves only
   * asynchronously, on the AWS CRT HTTP client (no Netty). Configured like
   * {@link #bedrockRuntime}: same credentials, region and endpoint logic, one attempt, no
   * client-wide call timeout (a stream may run for many minutes); connecting and taking a pooled
   * connection are bounded. Building it loads CRT's native library, so callers build it only
   * when a stream is first asked for.
   */
  public static BedrockRuntimeAsyncClient bedrockRuntimeAsync(Region region, Optional<URI> endpoint) {
    BedrockRuntimeAsyncClientBuilder builder =
        BedrockRuntimeAsyncClient.builder()
            .region(region)
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .overrideConfiguration(SINGLE_ATTEMPT)
            // A built client, not a builder: through a builder the SDK would apply Bedrock
            // Runtime's service default of HTTP/2 (for its bidirectional operation), which the
            // CRT client refuses; ConverseStream works over HTTP/1.1.
            .httpClient(
                AwsCrtAsyncHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                    .connectionMaxIdleTime(Duration.ofSeconds(60))
                    .build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static SecretsManagerClient secretsManager(Region region, Optional<URI> endpoint) {
    return configured(SecretsManagerClient.builder(), region, endpoint).build();
  }

  /** An SQS client for the moderation queue; calls bounded like the config clients. */
  public static SqsClient sqs(Region region, Optional<URI> endpoint) {
    return configured(SqsClient.builder(), region, endpoint).build();
  }

  /** A Bedrock Agent Runtime client for Knowledge Bases {@code Retrieve}; calls bounded like the config clients. */
  public static BedrockAgentRuntimeClient bedrockAgentRuntime(Region region, Optional<URI> endpoint) {
    return configured(BedrockAgentRuntimeClient.builder(), region, endpoint).build();
  }

  /**
   * A Lambda client for the proxy's synchronous calls to RagFunction: one attempt within
   * {@code timeout} (connecting within a second), since a request waits on it and the route's
   * setting, not a retry, decides what a failed retrieval means.
   */
  public static LambdaClient lambda(Region region, Optional<URI> endpoint, Duration timeout) {
    LambdaClientBuilder builder =
        LambdaClient.builder()
            .region(region)
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
                    .apiCallAttemptTimeout(timeout)
                    .apiCallTimeout(timeout)
                    .build())
            .httpClient(
                UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)).socketTimeout(timeout).build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(
      B builder, Region region, Optional<URI> endpoint) {
    builder
        .region(region)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(BOUNDED_CALLS)
        .httpClient(UrlConnectionHttpClient.builder().build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }
}
