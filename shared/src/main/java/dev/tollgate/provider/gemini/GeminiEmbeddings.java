package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's embeddings wire format: one text goes to {@code :embedContent}
 * ({@code {"embedding":{"values":[...]}}}), several to {@code :batchEmbedContents}
 * ({@code {"embeddings":[{"values":[...]}, ...]}}); {@code dimensions} becomes
 * {@code outputDimensionality}. More than {@link #MAX_BATCH} texts go in several batches.
 */
final class GeminiEmbeddings {

  private GeminiEmbeddings() {}

  /** Gemini refuses a batch of more than this many requests. */
  static final int MAX_BATCH = 100;

  /** The method name: {@code embedContent} for one text, {@code batchEmbedContents} for several. */
  static String method(List<String> texts) {
    return texts.size() == 1 ? "embedContent" : "batchEmbedContents";
  }

  /** The body for {@code texts} (at most {@link #MAX_BATCH}). */
  static ObjectNode body(List<String> texts, String model, EmbeddingsRequest request) {
    if (texts.size() == 1) {
      return single(texts.getFirst(), model, request);
    }
    ObjectNode body = Json.object();
    var requests = body.putArray("requests");
    texts.forEach(text -> requests.add(single(text, model, request)));
    return body;
  }

  private static ObjectNode single(String text, String model, EmbeddingsRequest request) {
    ObjectNode one = Json.object();
    one.put("model", "models/" + model);
    one.putObject("content").putArray("parts").addObject().put("text", text);
    request.dimensions().ifPresent(dimensions -> one.put("outputDimensionality", dimensions));
    return one;
  }

  static List<float[]> vectors(byte[] body, int expected) throws UpstreamFailure {
    JsonNode root = HttpFailures.parseJsonBody(body);
    List<JsonNode> embeddings = new ArrayList<>();
    if (expected == 1 && root.has("embedding")) {
      embeddings.add(root.get("embedding"));
    } else {
      root.path("embeddings").forEach(embeddings::add);
    }
    if (embeddings.isEmpty()) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response holds no embedding");
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode embedding : embeddings) {
      JsonNode values = embedding.path("values");
      if (!values.isArray()) {
        throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "embedding has no 'values'");
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        if (!values.get(i).isNumber()) {
          throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "embedding holds a non-number");
        }
        vector[i] = values.get(i).floatValue();
      }
      vectors.add(vector);
    }
    return vectors;
  }
}
