package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.Json;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * Amazon Titan Text Embeddings (v2 by default) on Bedrock through {@code InvokeModel}, signed with
 * the process's own AWS credentials like {@link BedrockConverseProvider}. Titan embeds one text
 * per call, so a request with several inputs makes one call per input, in order, within the
 * attempt's timeout; {@code inputTextTokenCount} gives the usage. This type only embeds: a chat
 * request to one of its targets is refused with 400 before any call.
 */
public final class BedrockTitanEmbeddingProvider implements EmbeddingProvider {

  public static final String TYPE = "bedrock-titan-embed";
  public static final String DEFAULT_MODEL = "amazon.titan-embed-text-v2:0";

  /** The output sizes Titan Text Embeddings v2 offers. */
  static final Set<Integer> DIMENSIONS = Set.of(256, 512, 1024);

  private static final ProviderSpec SPEC =
      new ProviderSpec(
          TYPE,
          null,
          false,
          DEFAULT_MODEL,
          false,
          RegionalClients.REGION_OPTION);

  private final RegionalClients<BedrockRuntimeClient> clients;

  public BedrockTitanEmbeddingProvider(Region defaultRegion) {
    this(defaultRegion, AwsClients::bedrockRuntime);
  }

  BedrockTitanEmbeddingProvider(
      Region defaultRegion, BiFunction<Region, Optional<URI>, BedrockRuntimeClient> clientFactory) {
    this.clients = new RegionalClients<>(defaultRegion, clientFactory);
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public boolean servesChat() {
    return false;
  }

  /** Never reached through the gateway (chat to this type is refused first); a safety net. */
  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    throw UpstreamFailure.rejected(
        400,
        ApiError.invalidField("model", "Target '" + call.target().id() + "' serves embeddings only."));
  }

  @Override
  public Optional<ApiError> refuses(EmbeddingsRequest request) {
    if (request.dimensions().isPresent() && !DIMENSIONS.contains(request.dimensions().getAsInt())) {
      return Optional.of(
          ApiError.invalidField(
              "dimensions",
              "Invalid value for 'dimensions': Titan Text Embeddings takes 256, 512 or 1024, got "
                  + request.dimensions().getAsInt() + "."));
    }
    return EmbeddingProvider.textOnly(request, TYPE);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure {
    Target target = call.target();
    BedrockRuntimeClient client = client(target);
    long deadline = System.nanoTime() + call.timeout().toNanos();
    List<float[]> vectors = new ArrayList<>();
    long tokens = 0;
    for (String text : call.request().texts()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out after " + call.timeout().toMillis() + " ms");
      }
      JsonNode answer = invoke(client, target, body(text, call.request()), Duration.ofNanos(remaining));
      vectors.add(vector(answer.path("embedding")));
      tokens += answer.path("inputTextTokenCount").asLong(0);
    }
    return new EmbeddingResponse(vectors, target.model(), tokens);
  }

  private static ObjectNode body(String text, EmbeddingsRequest request) {
    ObjectNode body = Json.object();
    body.put("inputText", text);
    request.dimensions().ifPresent(dimensions -> body.put("dimensions", dimensions));
    body.put("normalize", true);
    return body;
  }

  private static JsonNode invoke(BedrockRuntimeClient client, Target target, ObjectNode body, Duration timeout)
      throws UpstreamFailure {
    InvokeModelRequest request =
        InvokeModelRequest.builder()
            .modelId(target.model())
            .contentType("application/json")
            .accept("application/json")
            .body(SdkBytes.fromByteArray(Json.bytes(body)))
            .overrideConfiguration(
                AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).build())
            .build();
    InvokeModelResponse response;
    try {
      response = client.invokeModel(request);
    } catch (SdkException e) {
      throw BedrockErrors.classify(target.id(), e);
    } catch (RuntimeException e) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response could not be read (" + e.getClass().getSimpleName() + ")");
    }
    return HttpFailures.parseJsonBody(response.body().asByteArray());
  }

  private static float[] vector(JsonNode embedding) throws UpstreamFailure {
    if (!embedding.isArray() || embedding.isEmpty()) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response has no 'embedding'");
    }
    float[] vector = new float[embedding.size()];
    for (int i = 0; i < vector.length; i++) {
      if (!embedding.get(i).isNumber()) {
        throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "embedding holds a non-number");
      }
      vector[i] = embedding.get(i).floatValue();
    }
    return vector;
  }

  private BedrockRuntimeClient client(Target target) {
    return clients.forTarget(target);
  }
}
