package dev.tollgate.embedding;

import java.util.List;

/**
 * Turns texts into vectors of one model, for similarity between texts inside the gateway (the
 * semantic routing classifier, the semantic cache, knowledge-base retrieval). Every vector it
 * returns has unit length, so the dot product of two is their cosine similarity. Adapters: Bedrock
 * Titan Text Embeddings in AWS, an in-process model in dev and tests.
 */
public interface TextEmbedder {

  /** No embedding model: every call fails, naming what would need one. */
  TextEmbedder NONE =
      new TextEmbedder() {
        @Override
        public String modelId() {
          return "none";
        }

        @Override
        public int dimensions() {
          return 0;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          throw new EmbeddingUnavailableException("no embedding model is configured for this gateway");
        }
      };

  /** The model's name, stored beside vectors so vectors of different models are never compared. */
  String modelId();

  /** The length of every vector returned. */
  int dimensions();

  /**
   * One unit-length vector per text, in order.
   *
   * @throws EmbeddingUnavailableException when the model cannot be reached or refuses
   */
  List<float[]> embed(List<String> texts);

  /** One text's vector. */
  default float[] embed(String text) {
    return embed(List.of(text)).getFirst();
  }
}
