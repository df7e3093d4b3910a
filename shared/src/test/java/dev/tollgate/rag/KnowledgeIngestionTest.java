package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.rag.IngestResult.Outcome;
import dev.tollgate.rag.SourceDocument.Block;
import dev.tollgate.testing.HashingEmbedder;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class KnowledgeIngestionTest {

  private final InMemoryKnowledgeStore store = new InMemoryKnowledgeStore();
  private final HashingEmbedder embedder = new HashingEmbedder();
  private final MutableClock clock = MutableClock.ahead(Duration.ZERO);
  private final KnowledgeIngestion ingestion = new KnowledgeIngestion(store, embedder, new Chunker(), clock);
  private final KnowledgeRetriever retriever =
      new KnowledgeRetriever(store, embedder, clock, Duration.ofSeconds(5), KnowledgeIndex.DEFAULT_LEXICAL_WEIGHT);

  private static SourceDocument doc(String id, String text) {
    return SourceDocument.of(id, id, List.of(Block.paragraph(text)));
  }

  private List<String> texts(String question) {
    return retriever.retrieve(new RetrievalQuery("kb", question, 5, 0.01, Map.of())).stream().map(RetrievedChunk::text).toList();
  }

  @Test
  void ingestsThenLeavesUnchangedDocumentsAlone() {
    assertEquals(
        List.of(Outcome.INGESTED, Outcome.INGESTED),
        ingestion.ingest("kb", List.of(doc("a.md", "refunds take fourteen days"), doc("b.md", "shipping zones"))).stream()
            .map(IngestResult::outcome).toList());
    int embedded = embedder.textsEmbedded();
    long version = store.base("kb").orElseThrow().version();

    List<IngestResult> again = ingestion.ingest("kb", List.of(doc("a.md", "refunds take fourteen days")));

    assertEquals(Outcome.UNCHANGED, again.getFirst().outcome());
    assertEquals("a.md: unchanged", again.getFirst().describe());
    assertEquals(embedded, embedder.textsEmbedded());
    assertEquals(version, store.base("kb").orElseThrow().version());
  }

  @Test
  void aChangedDocumentReplacesItsChunksAndTheRetrieverReloads() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds take fourteen days")));
    assertEquals(List.of("refunds take fourteen days"), texts("refunds"));

    IngestResult replaced = ingestion.ingest("kb", doc("a.md", "refunds take thirty days"));
    assertEquals("a.md: replaced (1 chunk)", replaced.describe());
    assertEquals(List.of("refunds take fourteen days"), texts("refunds"), "served from the loaded index until the next check");

    clock.advance(Duration.ofSeconds(6));
    assertEquals(List.of("refunds take thirty days"), texts("refunds"));
    assertEquals(1, store.load("kb").orElseThrow().chunks().size());
  }

  @Test
  void chunksWrittenWithoutTheSwitchAreNeverServed() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds take fourteen days")));
    // A crashed ingest: the next generation's chunks are written, the switch never happened.
    store.writeChunks("kb", "a.md", 2, List.of(new EmbeddedChunk("a.md", 0, "a.md", "half written", Map.of(), embedder.embed("refunds"))));

    assertEquals(List.of("refunds take fourteen days"), texts("refunds"));

    ingestion.ingest("kb", doc("a.md", "refunds take thirty days"));
    assertEquals(List.of("refunds take thirty days"), store.load("kb").orElseThrow().chunks().stream().map(EmbeddedChunk::text).toList());
  }

  @Test
  void removesDocumentsAndWholeBases() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds"), doc("b.md", "shipping")));

    assertEquals(List.of("a.md"), ingestion.remove("kb", List.of("a.md", "missing.md")));
    assertEquals(List.of("b.md"), store.documents("kb").stream().map(KnowledgeDocument::documentId).toList());
    assertTrue(ingestion.removeBase("kb"));
    assertThrows(UnknownKnowledgeBaseException.class, () -> texts("shipping"));
  }

  @Test
  void refusesToMixEmbeddingModels() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds")));
    KnowledgeIngestion other = new KnowledgeIngestion(store, new HashingEmbedder(64), new Chunker(), clock);

    IngestResult result = other.ingest("kb", doc("b.md", "shipping"));

    assertEquals(Outcome.SKIPPED, result.outcome());
    assertTrue(result.reason().contains("test-hashing-256"), result.reason());
  }

  @Test
  void refusesAnotherVectorSizeUnderTheSameModelName() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds")));
    TextEmbedder smaller = new SameNameOtherSize(embedder.modelId(), new HashingEmbedder(64));

    IngestResult result = new KnowledgeIngestion(store, smaller, new Chunker(), clock).ingest("kb", doc("b.md", "shipping"));
    RetrievalException refused =
        assertThrows(RetrievalException.class,
            () -> new KnowledgeRetriever(store, smaller).retrieve(new RetrievalQuery("kb", "refunds", 3, 0, Map.of())));

    assertEquals(Outcome.SKIPPED, result.outcome());
    assertTrue(result.reason().contains("256 dimensions, not 64"), result.reason());
    assertTrue(refused.getMessage().contains("256 dimensions"), refused.getMessage());
  }

  /** Titan v2 at another size: the same model id, vectors of another length. */
  private record SameNameOtherSize(String modelId, HashingEmbedder inner) implements TextEmbedder {
    @Override
    public int dimensions() {
      return inner.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return inner.embed(texts);
    }
  }

  @Test
  void theRetrieverRefusesAnotherModelsVectorsAndUnknownBases() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds")));
    KnowledgeRetriever other = new KnowledgeRetriever(store, new HashingEmbedder(64));

    RetrievalException refused =
        assertThrows(RetrievalException.class, () -> other.retrieve(new RetrievalQuery("kb", "refunds", 3, 0, Map.of())));
    assertTrue(refused.getMessage().contains("test-hashing-256"), refused.getMessage());
    assertThrows(
        UnknownKnowledgeBaseException.class, () -> retriever.retrieve(new RetrievalQuery("nope", "refunds", 3, 0, Map.of())));
  }

  @Test
  void aBaseServedByBedrockIsNotServedByTheIndex() {
    store.putBase(new KnowledgeBase("kb", 1, embedder.modelId(), 256, clock.instant(), "bedrock", Optional.of("KB123"), OptionalDouble.empty()));

    RetrievalException refused =
        assertThrows(RetrievalException.class, () -> retriever.retrieve(new RetrievalQuery("kb", "refunds", 3, 0, Map.of())));
    assertTrue(refused.getMessage().contains("bedrock"));
  }

  @Test
  void aDocumentWithoutTextIsSkipped() {
    IngestResult result = ingestion.ingest("kb", SourceDocument.of("scan.pdf", "Scan", List.of(Block.paragraph("  "))));

    assertEquals("scan.pdf: skipped: no text found", result.describe());
    assertTrue(store.base("kb").isEmpty());
  }

  @Test
  void aLoadedIndexKeepsServingWhenTheStoreCannotBeRead() {
    ingestion.ingest("kb", List.of(doc("a.md", "refunds take fourteen days")));
    FailingStore failing = new FailingStore(store);
    KnowledgeRetriever flaky = new KnowledgeRetriever(failing, embedder, clock, Duration.ofSeconds(5), 0.3);
    RetrievalQuery query = new RetrievalQuery("kb", "refunds", 1, 0, Map.of());
    assertEquals(1, flaky.retrieve(query).size());

    failing.down = true;
    clock.advance(Duration.ofSeconds(6));

    assertEquals(1, flaky.retrieve(query).size());
    assertThrows(RetrievalException.class, () -> flaky.retrieve(new RetrievalQuery("other", "refunds", 1, 0, Map.of())));
  }

  /** A store whose reads fail while {@code down}: DynamoDB unreachable. */
  private static final class FailingStore implements KnowledgeStore {
    private final KnowledgeStore store;
    volatile boolean down;

    FailingStore(KnowledgeStore store) {
      this.store = store;
    }

    private void check() {
      if (down) {
        throw new IllegalStateException("connection refused");
      }
    }

    @Override public Optional<KnowledgeBase> base(String kb) { check(); return store.base(kb); }
    @Override public List<KnowledgeBase> bases() { check(); return store.bases(); }
    @Override public List<KnowledgeDocument> documents(String kb) { check(); return store.documents(kb); }
    @Override public Optional<KnowledgeSnapshot> load(String kb) { check(); return store.load(kb); }
    @Override public void writeChunks(String kb, String id, long generation, List<EmbeddedChunk> chunks) { store.writeChunks(kb, id, generation, chunks); }
    @Override public void commit(String kb, KnowledgeDocument d, long previous, String model, int dims, java.time.Instant at) { store.commit(kb, d, previous, model, dims, at); }
    @Override public void deleteStaleChunks(String kb, KnowledgeDocument current) { store.deleteStaleChunks(kb, current); }
    @Override public boolean removeDocument(String kb, String id, java.time.Instant at) { return store.removeDocument(kb, id, at); }
    @Override public boolean removeBase(String kb) { return store.removeBase(kb); }
  }
}
