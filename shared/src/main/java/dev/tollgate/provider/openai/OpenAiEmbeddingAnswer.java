package dev.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.EmbeddingsResponse;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.UpstreamFailure;
import java.util.Arrays;

/**
 * Reads an OpenAI embeddings answer, whichever {@code encoding_format} it was asked for: each
 * {@code data[i].embedding} is an array of numbers or a base64 string of little-endian float32,
 * placed by its {@code index}. Anything else is a {@link FailureKind#BAD_RESPONSE}.
 */
final class OpenAiEmbeddingAnswer {

  private OpenAiEmbeddingAnswer() {}

  static EmbeddingResponse parse(byte[] body, String fallbackModel) throws UpstreamFailure {
    JsonNode root = HttpFailures.parseJsonBody(body);
    JsonNode data = root.path("data");
    if (!data.isArray()) {
      throw bad("response is not an embeddings list (no 'data')");
    }
    float[][] vectors = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      int index = item.path("index").asInt(i);
      if (index < 0 || index >= vectors.length || vectors[index] != null) {
        throw bad("embedding index " + index + " is out of place");
      }
      vectors[index] = vector(item.path("embedding"));
    }
    JsonNode model = root.path("model");
    return new EmbeddingResponse(
        Arrays.asList(vectors),
        model.isTextual() && !model.asText().isBlank() ? model.asText() : fallbackModel,
        root.path("usage").path("prompt_tokens").asLong(0));
  }

  private static float[] vector(JsonNode embedding) throws UpstreamFailure {
    if (embedding.isTextual()) {
      try {
        return EmbeddingsResponse.fromBase64(embedding.asText());
      } catch (IllegalArgumentException e) {
        throw bad("embedding is not base64 float32");
      }
    }
    if (!embedding.isArray()) {
      throw bad("embedding is neither an array nor base64");
    }
    float[] vector = new float[embedding.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = embedding.get(i);
      if (!value.isNumber()) {
        throw bad("embedding holds a non-number");
      }
      vector[i] = value.floatValue();
    }
    return vector;
  }

  private static UpstreamFailure bad(String detail) {
    return UpstreamFailure.of(FailureKind.BAD_RESPONSE, detail);
  }
}
