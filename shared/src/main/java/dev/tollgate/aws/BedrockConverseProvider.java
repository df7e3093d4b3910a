package dev.tollgate.aws;

import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * Calls Amazon Bedrock's {@code Converse} API through the AWS SDK, signed with the process's own
 * AWS credentials (the function's IAM role), so a target names no credential. The target's model
 * is a Bedrock model id or inference profile id/ARN; option {@code region} picks the Bedrock
 * region (default: the process's), and a {@code baseUrl} overrides the endpoint. One client is
 * built per region and endpoint on first use and kept.
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
          Map.of("region", ProviderSpec.OptionRule.text("[a-z]{2}(-[a-z]+)+-\\d{1,2}", "an AWS region such as us-east-1")));

  private record ClientKey(Region region, Optional<URI> endpoint) {}

  private final Region defaultRegion;
  private final BiFunction<Region, Optional<URI>, BedrockRuntimeClient> clientFactory;
  private final InstantSource clock;
  private final Map<ClientKey, BedrockRuntimeClient> clients = new ConcurrentHashMap<>();

  public BedrockConverseProvider(Region defaultRegion, InstantSource clock) {
    this(defaultRegion, AwsClients::bedrockRuntime, clock);
  }

  BedrockConverseProvider(
      Region defaultRegion, BiFunction<Region, Optional<URI>, BedrockRuntimeClient> clientFactory, InstantSource clock) {
    this.defaultRegion = defaultRegion;
    this.clientFactory = clientFactory;
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

  private BedrockRuntimeClient client(Target target) {
    String region = target.option("region", null);
    ClientKey key =
        new ClientKey(
            region == null ? defaultRegion : Region.of(region),
            Optional.ofNullable(target.baseUrl()).map(URI::create));
    return clients.computeIfAbsent(key, k -> clientFactory.apply(k.region(), k.endpoint()));
  }
}
