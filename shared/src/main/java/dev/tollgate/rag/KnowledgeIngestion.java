package dev.tollgate.rag;

import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.TextEmbedder;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts parsed documents into a knowledge base: an unchanged document (same content hash) writes
 * nothing; a new or changed one is chunked, embedded in batches and written by the store's
 * protocol (new chunks, then the switch, then the old chunks' deletion), so a failure at any step
 * leaves the previous version served.
 */
public final class KnowledgeIngestion {

  /** Texts per embedding call. */
  public static final int EMBED_BATCH = 32;

  private final KnowledgeStore store;
  private final TextEmbedder embedder;
  private final Chunker chunker;
  private final InstantSource clock;

  public KnowledgeIngestion(KnowledgeStore store, TextEmbedder embedder) {
    this(store, embedder, new Chunker(), Clock.systemUTC());
  }

  public KnowledgeIngestion(KnowledgeStore store, TextEmbedder embedder, Chunker chunker, InstantSource clock) {
    this.store = store;
    this.embedder = embedder;
    this.chunker = chunker;
    this.clock = clock;
  }

  /** Ingests each document in turn; one that fails is reported as skipped and the rest go on. */
  public List<IngestResult> ingest(String kb, List<SourceDocument> documents) {
    Map<String, KnowledgeDocument> existing =
        store.documents(kb).stream().collect(Collectors.toMap(KnowledgeDocument::documentId, Function.identity()));
    List<IngestResult> results = new ArrayList<>(documents.size());
    for (SourceDocument document : documents) {
      results.add(ingest(kb, document, Optional.ofNullable(existing.get(document.id()))));
    }
    return results;
  }

  /** Ingests one document. */
  public IngestResult ingest(String kb, SourceDocument document) {
    Optional<KnowledgeDocument> existing =
        store.documents(kb).stream().filter(doc -> doc.documentId().equals(document.id())).findFirst();
    return ingest(kb, document, existing);
  }

  private IngestResult ingest(String kb, SourceDocument document, Optional<KnowledgeDocument> existing) {
    if (existing.isPresent() && existing.get().contentHash().equals(document.contentHash())) {
      return new IngestResult(document.id(), IngestResult.Outcome.UNCHANGED, existing.get().chunkCount(), "");
    }
    Optional<String> refusal = refusal(kb);
    if (refusal.isPresent()) {
      return IngestResult.skipped(document.id(), refusal.get());
    }
    List<Chunk> chunks = chunker.chunk(document);
    if (chunks.isEmpty()) {
      return IngestResult.skipped(document.id(), "no text found");
    }
    try {
      List<EmbeddedChunk> embedded = embed(chunks);
      long previous = existing.map(KnowledgeDocument::generation).orElse(0L);
      KnowledgeDocument current =
          new KnowledgeDocument(document.id(), document.contentHash(), document.title(), chunks.size(), nextGeneration(previous),
              clock.instant());
      store.writeChunks(kb, document.id(), current.generation(), embedded);
      store.commit(kb, current, previous, embedder.modelId(), embedder.dimensions(), clock.instant());
      store.deleteStaleChunks(kb, current);
      return new IngestResult(
          document.id(), existing.isPresent() ? IngestResult.Outcome.REPLACED : IngestResult.Outcome.INGESTED, chunks.size(), "");
    } catch (EmbeddingUnavailableException e) {
      return IngestResult.skipped(document.id(), "embedding failed: " + e.getMessage());
    } catch (ConcurrentKnowledgeChangeException e) {
      return IngestResult.skipped(document.id(), e.getMessage());
    } catch (RuntimeException e) { // an item over DynamoDB's limits, a store error: this file fails, the others go on
      return IngestResult.skipped(document.id(), "could not be written: " + e.getMessage());
    }
  }

  /**
   * A generation no other ingest of this document can pick at the same time (time in microseconds
   * plus a random part, and always past the previous one), so two concurrent ingests never write
   * into each other's chunk items; the loser's commit is refused and its chunks are left unserved.
   */
  private long nextGeneration(long previous) {
    long unique = clock.instant().toEpochMilli() * 1_000 + ThreadLocalRandom.current().nextInt(1_000);
    return Math.max(previous + 1, unique);
  }

  /** Why nothing may be written to {@code kb} with this embedder, if so. */
  private Optional<String> refusal(String kb) {
    Optional<KnowledgeBase> base = store.base(kb);
    if (base.isEmpty()) {
      return Optional.empty();
    }
    if (!base.get().servedByIndex()) {
      return Optional.of("knowledge base '" + kb + "' is served by retriever '" + base.get().retriever() + "', not the knowledge table");
    }
    if (!base.get().modelId().equals(embedder.modelId())) {
      return Optional.of(
          "knowledge base '" + kb + "' holds vectors of model '" + base.get().modelId() + "', not '" + embedder.modelId()
              + "': ingest with that model, or remove the base first");
    }
    if (base.get().dimensions() != embedder.dimensions()) { // Titan v2 makes three sizes under one model id
      return Optional.of(
          "knowledge base '" + kb + "' holds vectors of " + base.get().dimensions() + " dimensions, not " + embedder.dimensions()
              + ": ingest with that size, or remove the base first");
    }
    return Optional.empty();
  }

  private List<EmbeddedChunk> embed(List<Chunk> chunks) {
    List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
    for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
      List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
      List<float[]> vectors = embedder.embed(batch.stream().map(Chunk::embeddingText).toList());
      for (int i = 0; i < batch.size(); i++) {
        embedded.add(EmbeddedChunk.of(batch.get(i), vectors.get(i)));
      }
    }
    return embedded;
  }

  /** Removes these documents; returns the ids that were there. */
  public List<String> remove(String kb, Collection<String> documentIds) {
    List<String> removed = new ArrayList<>();
    for (String id : documentIds) {
      if (store.removeDocument(kb, id, clock.instant())) {
        removed.add(id);
      }
    }
    return removed;
  }

  /** Removes the whole knowledge base; false when it did not exist. */
  public boolean removeBase(String kb) {
    return store.removeBase(kb);
  }
}
