package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.Vectors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;

/**
 * The gateway's text embedder in AWS: Amazon Titan Text Embeddings v2 through Bedrock
 * {@code InvokeModel} ({@code {"inputText", "dimensions", "normalize": true}}), one call per text
 * since Titan takes one. The client is built on first use, so a gateway without semantic
 * features never builds it.
 */
public final class BedrockTitanTextEmbedder implements TextEmbedder {

  public static final String DEFAULT_MODEL = BedrockTitanEmbeddingProvider.DEFAULT_MODEL;
  /**
   * 512 rather than Titan's 1024: half the bytes per chunk in the knowledge table and in a
   * function's memory, for a retrieval accuracy AWS measures at about 99% of 1024's.
   */
  public static final int DEFAULT_DIMENSIONS = 512;
  /** Bound on one text's call: a request waits on it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<BedrockRuntimeClient> client;
  private final String modelId;
  private final int dimensions;
  private final Duration timeout;

  /**
   * @param client made on first use, once
   * @param dimensions 256, 512 or 1024
   */
  public BedrockTitanTextEmbedder(Supplier<BedrockRuntimeClient> client, String modelId, int dimensions, Duration timeout) {
    if (!BedrockTitanEmbeddingProvider.DIMENSIONS.contains(dimensions)) {
      throw new IllegalArgumentException("Titan Text Embeddings v2 makes vectors of 256, 512 or 1024 dimensions, not " + dimensions);
    }
    this.client = Lazy.of(client);
    this.modelId = modelId;
    this.dimensions = dimensions;
    this.timeout = timeout;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (String text : texts) {
      vectors.add(embedOne(text));
    }
    return vectors;
  }

  private float[] embedOne(String text) {
    ObjectNode body = Json.object().put("inputText", text).put("dimensions", dimensions).put("normalize", true);
    InvokeModelRequest request =
        InvokeModelRequest.builder()
            .modelId(modelId)
            .contentType("application/json")
            .accept("application/json")
            .body(SdkBytes.fromByteArray(Json.bytes(body)))
            .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).build())
            .build();
    byte[] answer;
    try {
      answer = client.get().invokeModel(request).body().asByteArray();
    } catch (SdkException e) {
      throw new EmbeddingUnavailableException(message(AwsFailures.of(e)), e);
    }
    return vector(answer);
  }

  private String message(AwsFailures.Failure failure) {
    String head = "Bedrock embedding model '" + modelId + "' " + failure.description();
    return switch (failure.kind()) {
      case TIMED_OUT -> head + " after " + timeout.toMillis() + " ms";
      case THROTTLED -> head + "; retry later or raise the account's Bedrock quota";
      case ACCESS_DENIED -> head + "; the role needs bedrock:InvokeModel on the model, and model access must be enabled in the Bedrock console";
      case NOT_FOUND -> head + "; check the model id and that the model is offered in this region";
      default -> head;
    };
  }

  private float[] vector(byte[] answer) {
    JsonNode embedding;
    try {
      embedding = Json.parse(answer).path("embedding");
    } catch (IOException | RuntimeException e) {
      throw new EmbeddingUnavailableException("Bedrock embedding model '" + modelId + "' answered with something that is not JSON");
    }
    if (!embedding.isArray() || embedding.size() != dimensions) {
      throw new EmbeddingUnavailableException(
          "Bedrock embedding model '" + modelId + "' answered without an 'embedding' of " + dimensions + " numbers");
    }
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = embedding.get(i).floatValue();
    }
    // Titan normalizes already; this only irons out the rounding of its JSON numbers.
    return Vectors.normalized(vector);
  }
}
