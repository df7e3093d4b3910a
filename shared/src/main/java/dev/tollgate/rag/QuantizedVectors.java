package dev.tollgate.rag;

import java.nio.ByteBuffer;

/**
 * The compact stored form of an embedding: a 4-byte big-endian float {@code scale} followed by one
 * signed byte per dimension, {@code value = byte * scale} with {@code scale = max|v| / 127}. A
 * 384-dimension vector takes 388 bytes instead of 1,536; cosine scores move by about 0.001–0.01,
 * far below the gaps that decide a ranking. Decoded vectors are normalized again.
 */
public final class QuantizedVectors {

  private QuantizedVectors() {}

  public static byte[] encode(float[] vector) {
    float max = 0;
    for (float v : vector) {
      max = Math.max(max, Math.abs(v));
    }
    float scale = max == 0 ? 0 : max / 127f;
    ByteBuffer out = ByteBuffer.allocate(4 + vector.length).putFloat(scale);
    for (float v : vector) {
      out.put(scale == 0 ? 0 : (byte) Math.round(v / scale));
    }
    return out.array();
  }

  public static float[] decode(byte[] bytes) {
    if (bytes.length < 4) {
      throw new IllegalArgumentException("a quantized vector needs at least 4 bytes, had " + bytes.length);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    float scale = in.getFloat();
    float[] vector = new float[bytes.length - 4];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = in.get() * scale;
    }
    return dev.tollgate.embedding.Vectors.normalized(vector);
  }
}
