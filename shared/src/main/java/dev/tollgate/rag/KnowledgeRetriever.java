package dev.tollgate.rag;

import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.TextEmbedder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge table's retriever: embeds the query and searches the base's in-memory
 * {@link KnowledgeIndex}. A base's index loads on first use; afterwards, at most every
 * {@code checkEvery}, one request reads the base item and, when its version moved, loads the new
 * index while the others keep being served from the previous one, which is swapped whole. When
 * the store cannot be read for that check, the loaded index keeps serving.
 */
public final class KnowledgeRetriever implements Retriever {

  private static final Logger LOG = LoggerFactory.getLogger(KnowledgeRetriever.class);

  /** How often a loaded base's version is checked by default. */
  public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(5);

  private final KnowledgeStore store;
  private final TextEmbedder embedder;
  private final InstantSource clock;
  private final Duration checkEvery;
  private final double defaultLexicalWeight;
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  private record Loaded(KnowledgeBase base, KnowledgeIndex index, Instant checkedAt) {}

  public KnowledgeRetriever(KnowledgeStore store, TextEmbedder embedder) {
    this(store, embedder, Clock.systemUTC(), DEFAULT_CHECK_EVERY, KnowledgeIndex.DEFAULT_LEXICAL_WEIGHT);
  }

  /**
   * @param defaultLexicalWeight the BM25 share of the score for bases whose item sets none
   */
  public KnowledgeRetriever(
      KnowledgeStore store, TextEmbedder embedder, InstantSource clock, Duration checkEvery, double defaultLexicalWeight) {
    if (!(defaultLexicalWeight >= 0 && defaultLexicalWeight <= 1)) {
      throw new IllegalArgumentException("lexical weight must be between 0 and 1, was " + defaultLexicalWeight);
    }
    this.store = store;
    this.embedder = embedder;
    this.clock = clock;
    this.checkEvery = checkEvery;
    this.defaultLexicalWeight = defaultLexicalWeight;
  }

  @Override
  public List<RetrievedChunk> retrieve(RetrievalQuery query) {
    Loaded current = current(query.kb());
    return search(current, query, current.base().lexicalWeight().orElse(defaultLexicalWeight));
  }

  /** As {@link #retrieve}, with this lexical weight instead of the base's (0: pure cosine); for evaluation. */
  public List<RetrievedChunk> retrieve(RetrievalQuery query, double lexicalWeight) {
    return search(current(query.kb()), query, lexicalWeight);
  }

  /** The index serving {@code kb} now (loading or refreshing it as needed); for benchmarks and tools. */
  public KnowledgeIndex index(String kb) {
    return current(kb).index();
  }

  private List<RetrievedChunk> search(Loaded current, RetrievalQuery query, double lexicalWeight) {
    KnowledgeBase base = current.base();
    if (!base.servedByIndex()) {
      throw new RetrievalException(
          "knowledge base '" + base.kb() + "' is served by retriever '" + base.retriever() + "', not by the knowledge table's index");
    }
    if (!base.modelId().equals(embedder.modelId())) {
      throw new RetrievalException(
          "knowledge base '" + base.kb() + "' was embedded with model '" + base.modelId() + "' but this gateway embeds queries with '"
              + embedder.modelId() + "': re-ingest it with that model or configure the same embedding model");
    }
    if (base.dimensions() != embedder.dimensions()) { // Titan v2 makes 256, 512 or 1024 under one model id
      throw new RetrievalException(
          "knowledge base '" + base.kb() + "' holds vectors of " + base.dimensions() + " dimensions but this gateway embeds queries with "
              + embedder.dimensions() + ": re-ingest it with that size or configure the same embedding dimensions");
    }
    if (current.index().size() == 0) {
      return List.of();
    }
    float[] vector;
    try {
      vector = embedder.embed(query.query());
    } catch (EmbeddingUnavailableException e) {
      throw new RetrievalException("could not embed the query for knowledge base '" + base.kb() + "': " + e.getMessage(), e);
    }
    return current.index().search(vector, query, lexicalWeight);
  }

  private Loaded current(String kb) {
    Loaded current = loaded.get(kb);
    if (current == null) {
      return loadFirst(kb);
    }
    if (clock.instant().isBefore(current.checkedAt().plus(checkEvery))) {
      return current;
    }
    ReentrantLock lock = lock(kb);
    if (!lock.tryLock()) {
      return current; // another request is refreshing this base; serve the index we have meanwhile
    }
    try {
      return refresh(kb, loaded.getOrDefault(kb, current));
    } finally {
      lock.unlock();
    }
  }

  private Loaded loadFirst(String kb) {
    ReentrantLock lock = lock(kb);
    lock.lock();
    try {
      Loaded current = loaded.get(kb);
      return current != null ? current : load(kb);
    } finally {
      lock.unlock();
    }
  }

  private Loaded refresh(String kb, Loaded current) {
    KnowledgeBase base;
    try {
      base = read(() -> store.base(kb), kb).orElse(null);
    } catch (RetrievalException storeDown) {
      // Keep answering from the index we have; check again after the next interval.
      Loaded kept = new Loaded(current.base(), current.index(), clock.instant());
      loaded.put(kb, kept);
      return kept;
    }
    if (base == null) {
      loaded.remove(kb);
      throw new UnknownKnowledgeBaseException(kb);
    }
    // the version alone is not enough: a base removed and ingested again counts from 1 once more
    if (base.version() == current.base().version() && base.updatedAt().equals(current.base().updatedAt())) {
      Loaded checked = new Loaded(current.base(), current.index(), clock.instant());
      loaded.put(kb, checked);
      return checked;
    }
    try {
      return load(kb);
    } catch (UnknownKnowledgeBaseException gone) {
      loaded.remove(kb);
      throw gone;
    } catch (RetrievalException reloadFailed) {
      // a failed reload (store trouble, a base caught mid-ingest) keeps the index in hand until the next check
      LOG.warn("Knowledge base '{}': reload failed, still serving version {}: {}", kb, current.base().version(),
          reloadFailed.getMessage());
      Loaded kept = new Loaded(current.base(), current.index(), clock.instant());
      loaded.put(kb, kept);
      return kept;
    }
  }

  private Loaded load(String kb) {
    KnowledgeSnapshot snapshot = read(() -> store.load(kb), kb).orElseThrow(() -> new UnknownKnowledgeBaseException(kb));
    KnowledgeIndex index;
    try {
      index = new KnowledgeIndex(snapshot.chunks(), snapshot.base().dimensions());
    } catch (IllegalArgumentException e) {
      throw new RetrievalException("knowledge base '" + kb + "' is inconsistent: " + e.getMessage(), e);
    }
    Loaded fresh = new Loaded(snapshot.base(), index, clock.instant());
    loaded.put(kb, fresh);
    return fresh;
  }

  private ReentrantLock lock(String kb) {
    return locks.computeIfAbsent(kb, name -> new ReentrantLock());
  }

  private static <T> T read(java.util.function.Supplier<T> reading, String kb) {
    try {
      return reading.get();
    } catch (RetrievalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RetrievalException("could not read knowledge base '" + kb + "' from the knowledge store: " + e.getMessage(), e);
    }
  }
}
