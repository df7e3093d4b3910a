package dev.tollgate.provider.mock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The mock model's vectors: the same for the same text, different for different texts, unit length. */
class HashEmbeddingTest {

  @Test
  void theSameTextGivesTheSameVector() {
    assertArrayEquals(HashEmbedding.of("hello", 32), HashEmbedding.of("hello", 32));
  }

  @Test
  void differentTextsGiveDifferentVectors() {
    assertFalse(Arrays.equals(HashEmbedding.of("hello", 32), HashEmbedding.of("hello!", 32)));
  }

  @Test
  void vectorsHaveTheAskedLengthAndUnitNorm() {
    for (int dimensions : new int[] {1, 7, 256}) {
      float[] vector = HashEmbedding.of("some text", dimensions);
      assertEquals(dimensions, vector.length);
      double norm = 0;
      for (float value : vector) {
        norm += value * value;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }
  }
}
