package dev.tollgate.aws;

import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * Calls Amazon Bedrock's {@code Converse} API through the AWS SDK, signed with the process's own
 * AWS credentials (the function's IAM role), so a target names no credential. The target's model
 * is a Bedrock model id or inference profile id/ARN; option {@code region} picks the Bedrock
 * region (default: the process's), and a {@code baseUrl} overrides the endpoint. One client is
 * built per region and endpoint on first use and kept; streams ({@code ConverseStream}) use a
 * separate asynchronous client on the CRT HTTP client, built likewise on the first stream, so a
 * process that never streams from Bedrock never loads CRT.
 */
public final class BedrockConverseProvider implements Provider {

  public static final String TYPE = "bedrock";

  private static final ProviderSpec SPEC =
      new ProviderSpec(
          TYPE,
          null,
          false,
          null,
          false,
          RegionalClients.REGION_OPTION);

  private final InstantSource clock;
  private final RegionalClients<BedrockRuntimeClient> clients;
  private final RegionalClients<BedrockRuntimeAsyncClient> streamClients;

  public BedrockConverseProvider(Region defaultRegion, InstantSource clock) {
    this(defaultRegion, AwsClients::bedrockRuntime, AwsClients::bedrockRuntimeAsync, clock);
  }

  BedrockConverseProvider(
      Region defaultRegion,
      BiFunction<Region, Optional<URI>, BedrockRuntimeClient> clientFactory,
      BiFunction<Region, Optional<URI>, BedrockRuntimeAsyncClient> streamClientFactory,
      InstantSource clock) {
    this.clients = new RegionalClients<>(defaultRegion, clientFactory);
    this.streamClients = new RegionalClients<>(defaultRegion, streamClientFactory);
    this.clock = clock;
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    Target target = call.target();
    ConverseRequest request =
        OpenAiToBedrockConverse.translate(call.request().body(), target.model()).toBuilder()
            .overrideConfiguration(
                AwsRequestOverrideConfiguration.builder()
                    .apiCallTimeout(call.timeout())
                    .apiCallAttemptTimeout(call.timeout())
                    .build())
            .build();
    ConverseResponse response;
    try {
      response = client(target).converse(request);
    } catch (SdkException e) {
      throw BedrockErrors.classify(target.id(), e);
    } catch (RuntimeException e) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response could not be read (" + e.getClass().getSimpleName() + ")");
    }
    String requestId = response.responseMetadata().requestId();
    String id = requestId == null || requestId.isBlank() || "UNKNOWN".equals(requestId) ? call.requestId() : requestId;
    return BedrockConverseToOpenAi.translate(response, id, target.model(), clock.instant());
  }

  /**
   * Streams through {@code ConverseStream}; returns once Bedrock accepted the call within the
   * attempt's timeout. No SDK call timeout is set: it would bound the whole stream, and the
   * gateway bounds the wait for the first chunk itself.
   */
  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    Target target = call.target();
    ConverseStreamRequest request = OpenAiToBedrockConverse.translateForStream(call.request().body(), target.model());
    BedrockRuntimeAsyncClient client;
    try {
      client = streamClient(target);
    } catch (RuntimeException | LinkageError e) {
      // e.g. CRT's native library cannot load on this platform: a fault of this target's path
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the streaming client could not start (" + e.getClass().getSimpleName() + ")");
    }
    return BedrockChunkStream.open(
        target.id(),
        target.model(),
        call.requestId(),
        clock.instant(),
        call.timeout(),
        handler -> client.converseStream(request, handler));
  }

  private BedrockRuntimeClient client(Target target) {
    return clients.forTarget(target);
  }

  private BedrockRuntimeAsyncClient streamClient(Target target) {
    return streamClients.forTarget(target);
  }
}
