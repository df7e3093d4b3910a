package dev.tollgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic filler for a large index: paragraphs of 3 to 7 sentences drawn (seeded) from real
 * texts, so their vocabulary, lengths and embeddings look like a knowledge base's, not noise.
 */
final class SyntheticParagraphs {

  private SyntheticParagraphs() {}

  /** The sentences of {@code texts}: split after '.', '?' or '!' followed by white space; short ones dropped. */
  static List<String> sentences(List<String> texts) {
    List<String> sentences = new ArrayList<>();
    for (String text : texts) {
      for (String sentence : text.replaceAll("\\s+", " ").split("(?<=[.?!])\\s+")) {
        if (sentence.length() >= 25) {
          sentences.add(sentence.strip());
        }
      }
    }
    return sentences;
  }

  /** {@code count} paragraphs, the same for the same sentences and seed. */
  static List<String> generate(List<String> sentences, int count, long seed) {
    if (sentences.isEmpty()) {
      throw new IllegalArgumentException("no sentences to build paragraphs from");
    }
    Random random = new Random(seed);
    List<String> paragraphs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = 3 + random.nextInt(5);
      StringBuilder paragraph = new StringBuilder();
      for (int s = 0; s < length; s++) {
        if (s > 0) {
          paragraph.append(' ');
        }
        paragraph.append(sentences.get(random.nextInt(sentences.size())));
      }
      paragraphs.add(paragraph.toString());
    }
    return paragraphs;
  }
}
