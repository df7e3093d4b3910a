package dev.tollgate.cli;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.aws.DynamoDbModerationStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.moderation.Guardrail;
import dev.tollgate.moderation.LocalModerationQueue;
import dev.tollgate.moderation.ModerationService;
import dev.tollgate.telemetry.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Guardrails and output moderation in the dev server. The guardrail is Bedrock's ApplyGuardrail,
 * in the AWS region of the environment, or at {@code --guardrail-endpoint} (e.g. {@code tollgate
 * mock-upstream}, which blocks texts containing its block word). There is no SQS locally: answers
 * go to a {@link LocalModerationQueue}, which runs the moderation function's own
 * {@link ModerationService} in this process against the dev tables, retrying a failed message
 * a few times as SQS would redeliver it.
 */
final class LocalModeration implements AutoCloseable {

  static final String AUDIT_TABLE = DevServer.TABLE_PREFIX + TableSchemas.AUDIT;

  private final Guardrail guardrail;
  private final LocalModerationQueue queue;

  private LocalModeration(Guardrail guardrail, LocalModerationQueue queue) {
    this.guardrail = guardrail;
    this.queue = queue;
  }

  static LocalModeration start(DynamoDbClient dynamo, Optional<URI> guardrailEndpoint, String region, Clock clock) {
    Guardrail guardrail =
        new BedrockGuardrail(() -> bedrock(guardrailEndpoint, Region.of(region)), BedrockGuardrail.CALL_TIMEOUT);
    var store =
        new DynamoDbModerationStore(
            dynamo, AUDIT_TABLE, DevServer.TABLE_PREFIX + TableSchemas.COUNTERS, DevServer.TABLE_PREFIX + TableSchemas.CONFIG);
    var service = new ModerationService(guardrail, store, Metrics.NONE, clock);
    return new LocalModeration(guardrail, new LocalModerationQueue(service, Duration.ofSeconds(1)));
  }

  /** A loopback stand-in checks no signature: it gets fixed local credentials, not the user's. */
  private static BedrockRuntimeClient bedrock(Optional<URI> endpoint, Region region) {
    boolean loopback = endpoint.map(uri -> "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())).orElse(false);
    if (!loopback) {
      return AwsClients.bedrockRuntime(region, endpoint);
    }
    return BedrockRuntimeClient.builder()
        .region(region)
        .endpointOverride(endpoint.get())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }

  Guardrail guardrail() {
    return guardrail;
  }

  LocalModerationQueue queue() {
    return queue;
  }

  @Override
  public void close() {
    queue.close();
  }
}
