package dev.tollgate.bench;

import dev.tollgate.embedding.TextEmbedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeddings of a list of texts kept in a file, because embedding 10,000 texts with the in-process
 * model takes minutes on two cores. The file holds the SHA-256 of the model id and the texts, so a
 * change to either embeds again instead of serving stale vectors.
 */
final class VectorCache {

  private static final int BATCH = 32;

  private VectorCache() {}

  /** Vectors in the order of their texts, and whether they came from the file. */
  record Vectors(List<float[]> vectors, boolean fromFile) {}

  /** The vectors of {@code texts}, from {@code file} when it matches, else embedded and written there. */
  static Vectors vectors(Path file, TextEmbedder embedder, List<String> texts) {
    byte[] key = key(embedder.modelId(), texts);
    List<float[]> cached = read(file, key, texts.size(), embedder.dimensions());
    if (cached != null) {
      return new Vectors(cached, true);
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += BATCH) {
      vectors.addAll(embedder.embed(texts.subList(from, Math.min(texts.size(), from + BATCH))));
    }
    write(file, key, vectors);
    return new Vectors(vectors, false);
  }

  private static List<float[]> read(Path file, byte[] key, int count, int dimensions) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] stored = in.readNBytes(key.length);
      if (!Arrays.equals(stored, key) || in.readInt() != count || in.readInt() != dimensions) {
        return null;
      }
      List<float[]> vectors = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        float[] vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
          vector[d] = in.readFloat();
        }
        vectors.add(vector);
      }
      return vectors;
    } catch (IOException e) {
      return null; // a truncated or foreign file: embed again
    }
  }

  private static void write(Path file, byte[] key, List<float[]> vectors) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
        out.write(key);
        out.writeInt(vectors.size());
        out.writeInt(vectors.isEmpty() ? 0 : vectors.getFirst().length);
        for (float[] vector : vectors) {
          for (float v : vector) {
            out.writeFloat(v);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the vector cache " + file, e);
    }
  }

  private static byte[] key(String modelId, List<String> texts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(modelId.getBytes(StandardCharsets.UTF_8));
      for (String text : texts) {
        digest.update((byte) 0);
        digest.update(text.getBytes(StandardCharsets.UTF_8));
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
