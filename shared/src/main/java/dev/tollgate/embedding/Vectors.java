package dev.tollgate.embedding;

/** Arithmetic on embedding vectors. */
public final class Vectors {

  private Vectors() {}

  /** A copy of {@code vector} scaled to unit length; a zero vector stays zero. */
  public static float[] normalized(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    float[] out = vector.clone();
    if (sum == 0) {
      return out;
    }
    double scale = 1 / Math.sqrt(sum);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] * scale);
    }
    return out;
  }

  /** The dot product, which for unit vectors is the cosine similarity. */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
