package dev.tollgate.routing;

import dev.tollgate.embedding.Vectors;
import java.util.List;
import java.util.Optional;

/**
 * A routing rule's semantic condition: it holds when the last user message's embedding is at
 * least {@code threshold} similar (cosine) to the nearest of the example prompts. The nearest
 * example, not a centroid, because one class usually has several shapes ("write a function",
 * "why does this SQL fail") whose average resembles none of them. Examples are embedded when the
 * config is loaded ({@link #embedded}); until then, or when that failed, the condition is
 * unavailable and never holds.
 *
 * @param modelId the model the example vectors come from; a request embedded by another is not compared
 * @param vectors one unit vector per example, empty while unavailable
 * @param unavailable why the examples have no vectors (empty once they have)
 */
public record SemanticCondition(
    List<String> examples, double threshold, String modelId, List<float[]> vectors, Optional<String> unavailable) {

  /** The outcome for one request: the best similarity, or why none could be computed. */
  public record Score(double similarity, boolean holds, Optional<String> failure) {

    static Score failed(String reason) {
      return new Score(0, false, Optional.of(reason));
    }

    /** For the verdict and the header: the similarity with two decimals, e.g. {@code 0.71}. */
    public String similarityText() {
      return String.format(java.util.Locale.ROOT, "%.2f", similarity);
    }
  }

  public SemanticCondition {
    examples = List.copyOf(examples);
    vectors = List.copyOf(vectors);
  }

  /** A condition as read from config, before its examples are embedded. */
  public static SemanticCondition unembedded(List<String> examples, double threshold) {
    return new SemanticCondition(examples, threshold, "", List.of(), Optional.of("the examples are not embedded yet"));
  }

  /** This condition with its examples' vectors from {@code modelId}. */
  public SemanticCondition embedded(String modelId, List<float[]> vectors) {
    return new SemanticCondition(examples, threshold, modelId, vectors, Optional.empty());
  }

  /** This condition without vectors, for the reason given. */
  public SemanticCondition failed(String reason) {
    return new SemanticCondition(examples, threshold, "", List.of(), Optional.of(reason));
  }

  /** Embeds the request's text (once per request, via {@code request}) and compares it with every example. */
  public Score score(RequestFeatures request) {
    if (unavailable.isPresent()) {
      return Score.failed("examples not embedded: " + unavailable.get());
    }
    RequestFeatures.PromptEmbedding prompt = request.promptEmbedding();
    if (prompt.failure().isPresent()) {
      return Score.failed(prompt.failure().get());
    }
    if (prompt.vector() == null) {
      return new Score(0, false, Optional.empty()); // no user text: nothing to be similar
    }
    if (!prompt.modelId().equals(modelId)) {
      return Score.failed("the examples were embedded by " + modelId + ", the request by " + prompt.modelId());
    }
    double best = -1;
    for (float[] example : vectors) {
      best = Math.max(best, Vectors.dot(prompt.vector(), example));
    }
    return new Score(best, best >= threshold, Optional.empty());
  }
}
