package dev.tollgate.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One knowledge base's chunks in memory, immutable: unit vectors in one flat array for cosine
 * scoring (the dot product), and a BM25 index of each chunk's title and text. The score of a chunk
 * is {@code (1 - w) * cosine + w * bm25 / maxBm25}, where {@code maxBm25} is the best BM25 score
 * among the chunks passing the filter (so the lexical part is within 0..1 like cosine) and
 * {@code w} the lexical weight ({@code 0}: pure cosine).
 */
public final class KnowledgeIndex {

  /** The lexical share of the score when neither the base nor the caller sets one. */
  public static final double DEFAULT_LEXICAL_WEIGHT = 0.3;

  private final List<EmbeddedChunk> chunks;
  private final int dimensions;
  private final float[] vectors;
  private final Bm25 lexical;

  public KnowledgeIndex(List<EmbeddedChunk> chunks, int dimensions) {
    this.chunks = List.copyOf(chunks);
    this.dimensions = dimensions;
    this.vectors = new float[this.chunks.size() * dimensions];
    for (int i = 0; i < this.chunks.size(); i++) {
      float[] vector = this.chunks.get(i).vector();
      if (vector.length != dimensions) {
        throw new IllegalArgumentException(
            "chunk " + this.chunks.get(i).chunkId() + " has " + vector.length + " dimensions, the index " + dimensions);
      }
      System.arraycopy(vector, 0, vectors, i * dimensions, dimensions);
    }
    this.lexical = new Bm25(this.chunks.stream().map(EmbeddedChunk::searchText).toList());
  }

  public int size() {
    return chunks.size();
  }

  public int dimensions() {
    return dimensions;
  }

  /**
   * The best {@code query.topK()} chunks passing {@code query.filter()} and scoring at least
   * {@code query.minScore()}, best first.
   *
   * @param queryVector the query's unit vector from the same model as the chunks
   * @param lexicalWeight the BM25 share of the score, 0..1
   */
  public List<RetrievedChunk> search(float[] queryVector, RetrievalQuery query, double lexicalWeight) {
    if (queryVector.length != dimensions) {
      throw new IllegalArgumentException("query vector has " + queryVector.length + " dimensions, the index " + dimensions);
    }
    if (!(lexicalWeight >= 0 && lexicalWeight <= 1)) {
      throw new IllegalArgumentException("lexical weight must be between 0 and 1, was " + lexicalWeight);
    }
    boolean[] allowed = allowed(query.filter());
    float[] bm25 = lexicalWeight > 0 ? lexical.scores(query.query()) : null;
    double maxBm25 = bm25 == null ? 0 : max(bm25, allowed);
    PriorityQueue<Scored> best = new PriorityQueue<>(query.topK() + 1, Comparator.comparingDouble(Scored::score));
    for (int i = 0; i < chunks.size(); i++) {
      if (allowed != null && !allowed[i]) {
        continue;
      }
      double score = dot(queryVector, i);
      if (bm25 != null) {
        score = (1 - lexicalWeight) * score + (maxBm25 > 0 ? lexicalWeight * bm25[i] / maxBm25 : 0);
      }
      if (score < query.minScore()) {
        continue;
      }
      if (best.size() < query.topK()) {
        best.add(new Scored(i, score));
      } else if (score > best.peek().score()) {
        best.poll();
        best.add(new Scored(i, score));
      }
    }
    List<RetrievedChunk> found = new ArrayList<>(best.size());
    while (!best.isEmpty()) {
      Scored scored = best.poll();
      EmbeddedChunk chunk = chunks.get(scored.index());
      found.add(new RetrievedChunk(
          chunk.chunkId(), chunk.documentId(), chunk.title(), chunk.position(), chunk.text(), scored.score(), chunk.metadata()));
    }
    return found.reversed();
  }

  /** Four running sums instead of one: the additions no longer wait on each other, about 3x faster. */
  private double dot(float[] query, int chunk) {
    int offset = chunk * dimensions;
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int d = 0;
    for (; d + 3 < dimensions; d += 4) {
      s0 += query[d] * vectors[offset + d];
      s1 += query[d + 1] * vectors[offset + d + 1];
      s2 += query[d + 2] * vectors[offset + d + 2];
      s3 += query[d + 3] * vectors[offset + d + 3];
    }
    for (; d < dimensions; d++) {
      s0 += query[d] * vectors[offset + d];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Null when there is no filter (every chunk passes). */
  private boolean[] allowed(Map<String, String> filter) {
    if (filter.isEmpty()) {
      return null;
    }
    boolean[] allowed = new boolean[chunks.size()];
    for (int i = 0; i < allowed.length; i++) {
      Map<String, String> metadata = chunks.get(i).metadata();
      allowed[i] = filter.entrySet().stream().allMatch(entry -> entry.getValue().equals(metadata.get(entry.getKey())));
    }
    return allowed;
  }

  private static double max(float[] scores, boolean[] allowed) {
    double max = 0;
    for (int i = 0; i < scores.length; i++) {
      if ((allowed == null || allowed[i]) && scores[i] > max) {
        max = scores[i];
      }
    }
    return max;
  }

  private record Scored(int index, double score) {}
}
