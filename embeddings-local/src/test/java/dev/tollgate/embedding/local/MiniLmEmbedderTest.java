package dev.tollgate.embedding.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.embedding.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  private final MiniLmEmbedder embedder = new MiniLmEmbedder();

  @Test
  void returnsUnitVectorsOfTheModelsSizeInOrder() {
    List<float[]> vectors = embedder.embed(List.of("first text", "second text", "third"));
    assertEquals(3, vectors.size());
    for (float[] vector : vectors) {
      assertEquals(MiniLmEmbedder.DIMENSIONS, vector.length);
      assertEquals(1.0, Vectors.dot(vector, vector), 1e-4);
    }
  }

  @Test
  void relatedSentencesScoreHigherThanUnrelatedOnes() {
    float[] question = embedder.embed("How do I reset my password?");
    float[] related = embedder.embed("To change a forgotten password, open the login page and choose reset.");
    float[] unrelated = embedder.embed("The quarterly revenue grew by twelve percent in Europe.");
    assertTrue(Vectors.dot(question, related) > Vectors.dot(question, unrelated) + 0.2,
        "related " + Vectors.dot(question, related) + " unrelated " + Vectors.dot(question, unrelated));
  }
}
