package dev.tollgate.provider.mock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * The mock model's embedding: a unit vector drawn from a generator seeded with the SHA-256 of the
 * text, so the same text always gives the same vector and different texts practically never do.
 * It carries no meaning; it is for wiring and tests.
 */
public final class HashEmbedding {

  private HashEmbedding() {}

  public static float[] of(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(seed(text));
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (random.nextDouble() * 2 - 1);
      norm += vector[i] * vector[i];
    }
    double length = Math.sqrt(norm);
    for (int i = 0; i < dimensions && length > 0; i++) {
      vector[i] = (float) (vector[i] / length);
    }
    return vector;
  }

  private static long seed(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
