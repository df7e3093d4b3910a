package dev.tollgate.testing;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small deterministic embedding model for unit tests: lower-cased words hashed into buckets
 * (bag of words), normalized. Texts sharing words are similar, texts sharing none score 0; the
 * in-process MiniLM model (module embeddings-local) is the real one. Counts its calls.
 */
public final class HashingEmbedder implements TextEmbedder {

  private final int dimensions;
  private final AtomicInteger texts = new AtomicInteger();

  public HashingEmbedder() {
    this(256);
  }

  public HashingEmbedder(int dimensions) {
    this.dimensions = dimensions;
  }

  @Override
  public String modelId() {
    return "test-hashing-" + dimensions;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public List<float[]> embed(List<String> inputs) {
    List<float[]> vectors = new ArrayList<>(inputs.size());
    for (String input : inputs) {
      texts.incrementAndGet();
      float[] vector = new float[dimensions];
      for (String word : input.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          vector[Math.floorMod(word.hashCode(), dimensions)] += 1;
        }
      }
      vectors.add(Vectors.normalized(vector));
    }
    return vectors;
  }

  /** How many texts were embedded so far. */
  public int textsEmbedded() {
    return texts.get();
  }
}
