package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.embedding.Vectors;
import dev.tollgate.testing.HashingEmbedder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnowledgeIndexTest {

  private static EmbeddedChunk chunk(String doc, int position, String text, Map<String, String> metadata, float... vector) {
    return new EmbeddedChunk(doc, position, doc, text, metadata, Vectors.normalized(vector));
  }

  private static RetrievalQuery query(String text, int topK, double minScore, Map<String, String> filter) {
    return new RetrievalQuery("kb", text, topK, minScore, filter);
  }

  private final KnowledgeIndex index =
      new KnowledgeIndex(
          List.of(
              chunk("a", 0, "alpha", Map.of("team", "billing"), 1, 0, 0),
              chunk("b", 0, "beta", Map.of("team", "billing", "lang", "en"), 0.8f, 0.6f, 0),
              chunk("c", 0, "gamma", Map.of("team", "ops"), 0, 1, 0),
              chunk("d", 0, "delta", Map.of(), 0, 0, 1)),
          3);

  @Test
  void ranksByCosineBestFirstAndKeepsTopK() {
    List<RetrievedChunk> found = index.search(new float[] {1, 0, 0}, query("q", 2, -1, Map.of()), 0);

    assertEquals(List.of("a#0", "b#0"), found.stream().map(RetrievedChunk::chunkId).toList());
    assertEquals(1.0, found.get(0).score(), 1e-6);
    assertEquals(0.8, found.get(1).score(), 1e-6);
    assertEquals("alpha", found.getFirst().text());
  }

  @Test
  void minScoreDropsWeakChunks() {
    List<RetrievedChunk> found = index.search(new float[] {1, 0, 0}, query("q", 10, 0.5, Map.of()), 0);

    assertEquals(List.of("a#0", "b#0"), found.stream().map(RetrievedChunk::chunkId).toList());
  }

  @Test
  void filterKeepsOnlyChunksWithEveryGivenValue() {
    assertEquals(
        List.of("b#0"),
        index.search(new float[] {1, 0, 0}, query("q", 10, -1, Map.of("team", "billing", "lang", "en")), 0).stream()
            .map(RetrievedChunk::chunkId).toList());
    assertEquals(
        List.of("c#0"),
        index.search(new float[] {1, 0, 0}, query("q", 10, -1, Map.of("team", "ops")), 0).stream().map(RetrievedChunk::chunkId).toList());
    assertTrue(index.search(new float[] {1, 0, 0}, query("q", 10, -1, Map.of("team", "none")), 0).isEmpty());
  }

  @Test
  void blendedScoreIsTheWeightedSumOfCosineAndNormalizedBm25() {
    // Only "gamma" contains the query word, so its normalized BM25 is 1 and every other chunk's 0.
    List<RetrievedChunk> found = index.search(new float[] {1, 0, 0}, query("gamma", 4, -1, Map.of()), 0.3);

    assertEquals(List.of("a#0", "b#0", "c#0", "d#0"), found.stream().map(RetrievedChunk::chunkId).toList());
    assertEquals(List.of(0.7, 0.56, 0.3, 0.0), found.stream().map(c -> Math.round(c.score() * 1e6) / 1e6).toList());
  }

  @Test
  void bm25FindsAnExactCodeTheEmbeddingMisses() {
    HashingEmbedder embedder = new HashingEmbedder();
    List<String> texts =
        List.of(
            "Payment errors: when a card is declined the checkout shows a payment error and asks for another card.",
            "Error ERR-4012 means the shipping label could not be printed because the carrier rejected it.",
            "Payment error codes and card declines are listed in the payment error guide for checkout problems.");
    List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      chunks.add(new EmbeddedChunk("doc" + i, 0, "", texts.get(i), Map.of(), embedder.embed(texts.get(i))));
    }
    KnowledgeIndex codes = new KnowledgeIndex(chunks, embedder.dimensions());
    String question = "payment error ERR-4012 at checkout";
    float[] vector = embedder.embed(question);

    String cosineBest = codes.search(vector, query(question, 1, -1, Map.of()), 0).getFirst().documentId();
    String blendedBest = codes.search(vector, query(question, 1, -1, Map.of()), 0.5).getFirst().documentId();

    assertTrue(!cosineBest.equals("doc1"), "the embedding alone should miss the code here");
    assertEquals("doc1", blendedBest);
  }

  @Test
  void rejectsVectorsOfAnotherSizeAndBadWeights() {
    assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {1, 0}, query("q", 1, 0, Map.of()), 0));
    assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {1, 0, 0}, query("q", 1, 0, Map.of()), 1.5));
  }

  @Test
  void anEmptyIndexFindsNothing() {
    assertTrue(new KnowledgeIndex(List.of(), 3).search(new float[] {1, 0, 0}, query("q", 3, -1, Map.of()), 0.3).isEmpty());
  }

  @Test
  void codesAreWholeTokensAndTheirPartsToo() {
    assertEquals(List.of("err-4012", "err", "4012", "x9-200", "x9", "200", "failed"), LexicalTokens.of("The ERR-4012 and X9-200 failed."));
  }

  @Test
  void quantizedVectorsKeepTheirDirection() {
    float[] vector = Vectors.normalized(new float[] {0.3f, -0.5f, 0.1f, 0.9f});
    float[] back = QuantizedVectors.decode(QuantizedVectors.encode(vector));

    assertEquals(4 + 4, QuantizedVectors.encode(vector).length);
    assertEquals(1.0, Vectors.dot(vector, back), 1e-3);
    assertEquals(0.0, Vectors.dot(back, back) - 1.0, 1e-5);
  }
}
