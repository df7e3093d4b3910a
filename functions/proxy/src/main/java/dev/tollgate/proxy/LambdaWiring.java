package dev.tollgate.proxy;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.AwsProviders;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.aws.BedrockTitanTextEmbedder;
import dev.tollgate.aws.DynamoDbAuditSink;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbQuotaStore;
import dev.tollgate.aws.DynamoDbResponseCache;
import dev.tollgate.aws.DynamoDbTargetStatsStore;
import dev.tollgate.aws.LambdaRetriever;
import dev.tollgate.aws.SecretsManagerCredentialResolver;
import dev.tollgate.aws.SqsModerationQueue;
import dev.tollgate.cache.CacheStore;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.moderation.ModerationQueue;
import dev.tollgate.provider.DispatchingCredentialResolver;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.rag.Retriever;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.routing.SharedTargetStats;
import dev.tollgate.telemetry.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** Builds the gateway the Lambda functions (buffered and streaming) serve, from their environment. */
final class LambdaWiring {

  /** Secrets are re-read at most this often; a rotated key is picked up within it. */
  static final Duration SECRET_MAX_AGE = Duration.ofMinutes(5);

  /** Used when POWERTOOLS_METRICS_NAMESPACE is unset; Powertools refuses to flush without one. */
  static final String DEFAULT_METRICS_NAMESPACE = "Tollgate";

  private LambdaWiring() {}

  /** Powertools' metrics instance with a namespace, whichever way the function is started. */
  static software.amazon.lambda.powertools.metrics.Metrics powertoolsMetrics(Map<String, String> env) {
    var metrics = MetricsFactory.getMetricsInstance();
    if (ProxyEnvironment.METRICS_NAMESPACE.read(env).isEmpty()) {
      metrics.setNamespace(DEFAULT_METRICS_NAMESPACE);
    }
    return metrics;
  }

  static Gateway gateway(Map<String, String> env, Metrics metrics) {
    Region region = Region.of(ProxyEnvironment.AWS_REGION.require(env));
    var dynamoEndpoint = ProxyEnvironment.DYNAMODB_ENDPOINT.read(env).map(URI::create);
    var dynamo = AwsClients.dynamoDb(region, dynamoEndpoint);
    // Its own client, one attempt per call: the sink counts its retries, so a request pays at
    // most its bounded number of audit round trips (one when nothing throttles).
    var auditDynamo = AwsClients.dynamoDbSingleAttempt(region, dynamoEndpoint);
    var secretsClient =
        AwsClients.secretsManager(region, ProxyEnvironment.SECRETSMANAGER_ENDPOINT.read(env).map(URI::create));
    var credentials =
        new DispatchingCredentialResolver(
            new EnvCredentialResolver(env),
            new SecretsManagerCredentialResolver(
                secretsClient, SECRET_MAX_AGE, ProxyEnvironment.SECRET_PREFIX.require(env)));
    Duration refresh =
        ProxyEnvironment.CONFIG_REFRESH_SECONDS
            .read(env)
            .map(s -> Duration.ofSeconds(Long.parseLong(s)))
            .orElse(GatewayAssembly.DEFAULT_REFRESH_INTERVAL);
    Clock clock = Clock.systemUTC();
    var ports =
        new GatewayAssembly.Ports(
            new DynamoDbConfigSource(dynamo, ProxyEnvironment.CONFIG_TABLE.require(env)),
            credentials,
            metrics,
            clock,
            refresh,
            RandomSource.secureSeeded(),
            new DynamoDbQuotaStore(dynamo, ProxyEnvironment.COUNTERS_TABLE.require(env)),
            new DynamoDbAuditSink(auditDynamo, ProxyEnvironment.AUDIT_TABLE.require(env), metrics),
            new BedrockGuardrail(
                () -> AwsClients.bedrockRuntime(region, ProxyEnvironment.GUARDRAIL_ENDPOINT.read(env).map(URI::create)),
                BedrockGuardrail.CALL_TIMEOUT),
            moderationQueue(env, region))
        .withEmbedder(embedder(env, region))
        .withRetriever(retriever(env, region))
        // latency and error figures, open breakers and Retry-After pauses, shared by every instance
        .withTargetStatsStore(
            new DynamoDbTargetStatsStore(dynamo, ProxyEnvironment.COUNTERS_TABLE.require(env)),
            statsSyncInterval(env))
        // one attempt within a second per call, like the audit writes: a slow cache table costs a miss, not the request
        .withCacheStore(ProxyEnvironment.CACHE_TABLE.read(env)
            .<CacheStore>map(table -> new DynamoDbResponseCache(auditDynamo, table))
            .orElse(CacheStore.NONE));
    var providers = GatewayAssembly.standardProviders(new UpstreamHttp(), clock);
    AwsProviders.register(providers, region.id(), clock);
    return GatewayAssembly.build(ports, providers);
  }

  /** TOLLGATE_STATS_SYNC_SECONDS: whole seconds, at least 1 (a typo must not stop every cold start). */
  static Duration statsSyncInterval(Map<String, String> env) {
    return ProxyEnvironment.STATS_SYNC_SECONDS
        .read(env)
        .map(value -> {
          try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 1) {
              return Duration.ofSeconds(seconds);
            }
          } catch (NumberFormatException ignored) {
            // falls through to the warning
          }
          System.err.println("TOLLGATE_STATS_SYNC_SECONDS must be a whole number of seconds >= 1, was '" + value
              + "'; using " + SharedTargetStats.DEFAULT_INTERVAL.toSeconds());
          return SharedTargetStats.DEFAULT_INTERVAL;
        })
        .orElse(SharedTargetStats.DEFAULT_INTERVAL);
  }

  /** Default bound on one retrieval: a SnapStart restore of RagFunction plus a cold index fits in it. */
  static final Duration DEFAULT_RAG_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Titan Text Embeddings for the semantic features; its Bedrock client is built on first use,
   * so a gateway without them never builds it.
   */
  static TextEmbedder embedder(Map<String, String> env, Region region) {
    int dimensions =
        ProxyEnvironment.EMBEDDING_DIMENSIONS.read(env).map(String::trim).map(Integer::parseInt)
            .orElse(BedrockTitanTextEmbedder.DEFAULT_DIMENSIONS);
    return new BedrockTitanTextEmbedder(
        () -> AwsClients.bedrockRuntime(region, ProxyEnvironment.BEDROCK_ENDPOINT.read(env).map(URI::create)),
        ProxyEnvironment.EMBEDDING_MODEL.read(env).orElse(BedrockTitanTextEmbedder.DEFAULT_MODEL),
        dimensions,
        BedrockTitanTextEmbedder.DEFAULT_TIMEOUT);
  }

  /**
   * RagFunction over Lambda Invoke when TOLLGATE_RAG_FUNCTION is set, its client built now so a
   * SnapStart snapshot holds it; otherwise no retriever.
   */
  static Retriever retriever(Map<String, String> env, Region region) {
    Duration timeout =
        ProxyEnvironment.RAG_TIMEOUT_MS.read(env).map(String::trim).map(Long::parseLong).map(Duration::ofMillis).orElse(DEFAULT_RAG_TIMEOUT);
    return ProxyEnvironment.RAG_FUNCTION
        .read(env)
        .<Retriever>map(function -> new LambdaRetriever(
            AwsClients.lambda(region, ProxyEnvironment.LAMBDA_ENDPOINT.read(env).map(URI::create), timeout), function))
        .orElse(Retriever.NONE);
  }

  /** SQS when TOLLGATE_MODERATION_QUEUE_URL is set; otherwise output moderation is off. */
  private static ModerationQueue moderationQueue(Map<String, String> env, Region region) {
    return ProxyEnvironment.MODERATION_QUEUE_URL
        .read(env)
        .<ModerationQueue>map(url -> new SqsModerationQueue(
            () -> AwsClients.sqs(region, ProxyEnvironment.SQS_ENDPOINT.read(env).map(URI::create)), url))
        .orElse(ModerationQueue.NONE);
  }
}
