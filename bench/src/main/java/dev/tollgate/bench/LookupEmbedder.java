package dev.tollgate.bench;

import dev.tollgate.embedding.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves vectors computed beforehand, under the real model's id and size, so ingestion and
 * retrieval run their real code while the benchmark times everything but the model; a text it
 * does not know is an error, never a silent fallback.
 */
final class LookupEmbedder implements TextEmbedder {

  private final String modelId;
  private final int dimensions;
  private final Map<String, float[]> vectors;

  LookupEmbedder(TextEmbedder model, Map<String, float[]> vectors) {
    this.modelId = model.modelId();
    this.dimensions = model.dimensions();
    this.vectors = Map.copyOf(vectors);
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
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      float[] vector = vectors.get(text);
      if (vector == null) {
        throw new IllegalStateException("no precomputed vector for: " + text);
      }
      out.add(vector);
    }
    return out;
  }
}
