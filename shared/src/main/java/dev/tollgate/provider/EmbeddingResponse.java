package dev.tollgate.provider;

import java.util.List;

/**
 * A successful embeddings answer: one float32 vector per input, in input order, the model the
 * upstream named, and the input tokens it counted (an estimate where the upstream reports none).
 */
public record EmbeddingResponse(List<float[]> vectors, String model, long promptTokens) {

  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
  }

  public Usage usage() {
    return new Usage(promptTokens, 0, promptTokens);
  }
}
