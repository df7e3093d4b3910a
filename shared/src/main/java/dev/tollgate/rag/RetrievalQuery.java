package dev.tollgate.rag;

import java.util.Map;

/**
 * One retrieval: which knowledge base, what to look for, how many chunks at most, the lowest score
 * worth returning, and metadata every returned chunk must carry (exact values; empty: no filter).
 */
public record RetrievalQuery(String kb, String query, int topK, double minScore, Map<String, String> filter) {

  public static final int DEFAULT_TOP_K = 4;
  public static final int MAX_TOP_K = 50;

  public RetrievalQuery {
    filter = Map.copyOf(filter);
    if (topK < 1 || topK > MAX_TOP_K) {
      throw new IllegalArgumentException("topK must be between 1 and " + MAX_TOP_K + ", was " + topK);
    }
  }
}
