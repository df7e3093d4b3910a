package dev.tollgate.testing;

import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.Retriever;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link Retriever} for tests: each knowledge base holds chunks with fixed scores (so
 * a test knows what a query finds), and retrieval keeps the contract: unknown kb, metadata filter,
 * minimum score, best first, at most topK. A base can be told to fail as an unreachable store
 * does. Every query is recorded.
 */
public final class ScriptedRetriever implements Retriever {

  private final Map<String, List<RetrievedChunk>> bases = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final List<RetrievalQuery> queries = new CopyOnWriteArrayList<>();

  /** Adds {@code chunks} to knowledge base {@code kb} (creating it). */
  public ScriptedRetriever with(String kb, RetrievedChunk... chunks) {
    bases.computeIfAbsent(kb, k -> new CopyOnWriteArrayList<>()).addAll(List.of(chunks));
    return this;
  }

  /** From now on, retrievals from {@code kb} fail as an unreachable store does. */
  public ScriptedRetriever failing(String kb) {
    failures.put(kb, new RetrievalException("knowledge table unreachable (test)"));
    return this;
  }

  /** A chunk of {@code documentId} at {@code position}, titled after the document, with no metadata. */
  public static RetrievedChunk chunk(String documentId, int position, String text, double score) {
    return chunk(documentId, position, text, score, Map.of());
  }

  public static RetrievedChunk chunk(String documentId, int position, String text, double score, Map<String, String> metadata) {
    String title = documentId.replaceAll(".*/", "").replaceAll("\\.[a-z]+$", "");
    return new RetrievedChunk(documentId + "#" + position, documentId, title, position, text, score, metadata);
  }

  public List<RetrievalQuery> queries() {
    return List.copyOf(queries);
  }

  @Override
  public List<RetrievedChunk> retrieve(RetrievalQuery query) {
    queries.add(query);
    RuntimeException failure = failures.get(query.kb());
    if (failure != null) {
      throw failure;
    }
    List<RetrievedChunk> chunks = bases.get(query.kb());
    if (chunks == null) {
      throw new UnknownKnowledgeBaseException(query.kb());
    }
    return chunks.stream()
        .filter(chunk -> chunk.score() >= query.minScore())
        .filter(chunk -> query.filter().entrySet().stream()
            .allMatch(wanted -> wanted.getValue().equals(chunk.metadata().get(wanted.getKey()))))
        .sorted(Comparator.comparingDouble(RetrievedChunk::score).reversed())
        .limit(query.topK())
        .toList();
  }
}
