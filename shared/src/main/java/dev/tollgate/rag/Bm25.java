package dev.tollgate.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Okapi BM25 over a fixed list of texts (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))),
 * as an inverted index: a query touches only the postings of its own terms.
 */
final class Bm25 {

  private static final double K1 = 1.2;
  private static final double B = 0.75;

  private final Map<String, Postings> postings;
  private final float[] lengthNorm;
  private final int count;

  /** Per term: the texts containing it and each one's finished score contribution, so a query only adds. */
  private record Postings(int[] documents, float[] weights) {}

  Bm25(List<String> texts) {
    count = texts.size();
    Map<String, List<int[]>> building = new HashMap<>();
    int[] lengths = new int[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      List<String> tokens = LexicalTokens.of(texts.get(i));
      lengths[i] = tokens.size();
      total += tokens.size();
      Map<String, Integer> frequencies = new HashMap<>();
      tokens.forEach(token -> frequencies.merge(token, 1, Integer::sum));
      int document = i;
      frequencies.forEach((token, tf) -> building.computeIfAbsent(token, t -> new ArrayList<>()).add(new int[] {document, tf}));
    }
    double average = count == 0 ? 1 : Math.max(1.0, (double) total / count);
    lengthNorm = new float[count];
    for (int i = 0; i < count; i++) {
      lengthNorm[i] = (float) (K1 * (1 - B + B * lengths[i] / average));
    }
    postings = new HashMap<>(building.size() * 2);
    building.forEach((token, list) -> postings.put(token, postings(list)));
  }

  private Postings postings(List<int[]> list) {
    double df = list.size();
    double idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    int[] documents = new int[list.size()];
    float[] weights = new float[list.size()];
    for (int i = 0; i < list.size(); i++) {
      int document = list.get(i)[0];
      int tf = list.get(i)[1];
      documents[i] = document;
      weights[i] = (float) (idf * tf * (K1 + 1) / (tf + lengthNorm[document]));
    }
    return new Postings(documents, weights);
  }

  /** Every text's BM25 score for {@code query} (0 for texts sharing no term with it); each query term counts once. */
  float[] scores(String query) {
    float[] scores = new float[count];
    for (String term : new LinkedHashSet<>(LexicalTokens.of(query))) {
      Postings list = postings.get(term);
      if (list == null) {
        continue;
      }
      int[] documents = list.documents();
      float[] weights = list.weights();
      for (int i = 0; i < documents.length; i++) {
        scores[documents[i]] += weights[i];
      }
    }
    return scores;
  }
}
