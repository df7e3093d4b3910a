package dev.tollgate.rag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** A {@link KnowledgeStore} in memory, following the same protocol as the knowledge table: for tests and benchmarks. */
public final class InMemoryKnowledgeStore implements KnowledgeStore {

  private final Map<String, KnowledgeBase> bases = new TreeMap<>();
  private final Map<String, Map<String, KnowledgeDocument>> documents = new HashMap<>();
  private final Map<String, Map<ChunkKey, EmbeddedChunk>> chunks = new HashMap<>();

  private record ChunkKey(String documentId, long generation, int position) {}

  @Override
  public synchronized Optional<KnowledgeBase> base(String kb) {
    return Optional.ofNullable(bases.get(kb));
  }

  @Override
  public synchronized List<KnowledgeBase> bases() {
    return List.copyOf(bases.values());
  }

  @Override
  public synchronized List<KnowledgeDocument> documents(String kb) {
    return List.copyOf(new TreeMap<>(documents.getOrDefault(kb, Map.of())).values());
  }

  @Override
  public synchronized Optional<KnowledgeSnapshot> load(String kb) {
    KnowledgeBase base = bases.get(kb);
    if (base == null) {
      return Optional.empty();
    }
    Map<String, KnowledgeDocument> docs = documents.getOrDefault(kb, Map.of());
    List<EmbeddedChunk> current = new ArrayList<>();
    chunks.getOrDefault(kb, Map.of()).entrySet().stream()
        .filter(entry -> isCurrent(docs.get(entry.getKey().documentId()), entry.getKey()))
        .sorted(Map.Entry.comparingByKey(
            java.util.Comparator.comparing(ChunkKey::documentId).thenComparingInt(ChunkKey::position)))
        .forEach(entry -> current.add(entry.getValue()));
    return Optional.of(new KnowledgeSnapshot(base, documents(kb), current));
  }

  private static boolean isCurrent(KnowledgeDocument document, ChunkKey key) {
    return document != null && document.generation() == key.generation() && key.position() < document.chunkCount();
  }

  @Override
  public synchronized void writeChunks(String kb, String documentId, long generation, List<EmbeddedChunk> written) {
    Map<ChunkKey, EmbeddedChunk> items = chunks.computeIfAbsent(kb, name -> new HashMap<>());
    for (EmbeddedChunk chunk : written) {
      items.put(new ChunkKey(documentId, generation, chunk.position()), chunk);
    }
  }

  @Override
  public synchronized void commit(
      String kb, KnowledgeDocument document, long previousGeneration, String modelId, int dimensions, Instant at) {
    Map<String, KnowledgeDocument> docs = documents.computeIfAbsent(kb, name -> new HashMap<>());
    KnowledgeDocument previous = docs.get(document.documentId());
    long actual = previous == null ? 0 : previous.generation();
    if (actual != previousGeneration) {
      throw new ConcurrentKnowledgeChangeException(kb, document.documentId());
    }
    docs.put(document.documentId(), document);
    bump(kb, modelId, dimensions, at);
  }

  private void bump(String kb, String modelId, int dimensions, Instant at) {
    KnowledgeBase base = bases.get(kb);
    bases.put(
        kb,
        base == null
            ? new KnowledgeBase(kb, 1, modelId, dimensions, at, KnowledgeBase.INDEX_RETRIEVER, Optional.empty(), OptionalDouble.empty())
            : new KnowledgeBase(
                kb, base.version() + 1, base.modelId(), base.dimensions(), at, base.retriever(),
                base.bedrockKnowledgeBaseId(), base.lexicalWeight()));
  }

  @Override
  public synchronized void deleteStaleChunks(String kb, KnowledgeDocument current) {
    chunks.getOrDefault(kb, new HashMap<>()).keySet().removeIf(
        key -> key.documentId().equals(current.documentId()) && !isCurrent(current, key));
  }

  @Override
  public synchronized boolean removeDocument(String kb, String documentId, Instant at) {
    KnowledgeDocument removed = documents.getOrDefault(kb, new HashMap<>()).remove(documentId);
    if (removed == null) {
      return false;
    }
    KnowledgeBase base = bases.get(kb);
    if (base != null) {
      bump(kb, base.modelId(), base.dimensions(), at);
    }
    chunks.getOrDefault(kb, new HashMap<>()).keySet().removeIf(key -> key.documentId().equals(documentId));
    return true;
  }

  @Override
  public synchronized boolean removeBase(String kb) {
    boolean existed = bases.remove(kb) != null;
    documents.remove(kb);
    chunks.remove(kb);
    return existed;
  }

  /** Sets a base item's retriever and lexical weight as an operator would edit the table (tests). */
  public synchronized void putBase(KnowledgeBase base) {
    bases.put(base.kb(), base);
  }
}
