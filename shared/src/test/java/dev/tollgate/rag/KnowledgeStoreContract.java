package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.embedding.Vectors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link KnowledgeStore} must do; subclasses give the store. */
public abstract class KnowledgeStoreContract {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  private KnowledgeStore store;

  protected abstract KnowledgeStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static EmbeddedChunk chunk(String doc, int position, String text) {
    return new EmbeddedChunk(doc, position, "Title > " + doc, text, Map.of("team", "billing"), Vectors.normalized(new float[] {1, position, 0.5f}));
  }

  private void ingest(String doc, long generation, String... texts) {
    List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      chunks.add(chunk(doc, i, texts[i]));
    }
    store.writeChunks("kb", doc, generation, chunks);
    store.commit("kb", new KnowledgeDocument(doc, "hash" + generation, doc, texts.length, generation, AT), generation - 1, "model-a", 3, AT);
    store.deleteStaleChunks("kb", new KnowledgeDocument(doc, "hash" + generation, doc, texts.length, generation, AT));
  }

  private List<String> texts() {
    return store.load("kb").orElseThrow().chunks().stream().map(EmbeddedChunk::text).toList();
  }

  @Test
  void anUnknownBaseHasNothing() {
    assertTrue(store.base("kb").isEmpty());
    assertTrue(store.load("kb").isEmpty());
    assertTrue(store.documents("kb").isEmpty());
  }

  @Test
  void aCommittedDocumentIsLoadedWithItsChunksAndTheBaseItem() {
    ingest("a.md", 1, "one", "two");

    KnowledgeSnapshot snapshot = store.load("kb").orElseThrow();

    assertEquals(1, snapshot.base().version());
    assertEquals("model-a", snapshot.base().modelId());
    assertEquals(3, snapshot.base().dimensions());
    assertTrue(snapshot.base().servedByIndex());
    assertEquals(List.of("one", "two"), snapshot.chunks().stream().map(EmbeddedChunk::text).toList());
    EmbeddedChunk first = snapshot.chunks().getFirst();
    assertEquals("Title > a.md", first.title());
    assertEquals(Map.of("team", "billing"), first.metadata());
    assertEquals(1.0, Vectors.dot(first.vector(), Vectors.normalized(new float[] {1, 0, 0.5f})), 1e-3);
    assertEquals(List.of(new KnowledgeDocument("a.md", "hash1", "a.md", 2, 1, AT)), store.documents("kb"));
    assertEquals(List.of("kb"), store.bases().stream().map(KnowledgeBase::kb).toList());
  }

  @Test
  void aNewGenerationReplacesTheOldChunksAndBumpsTheVersion() {
    ingest("a.md", 1, "one", "two", "three");
    ingest("a.md", 2, "uno");

    assertEquals(List.of("uno"), texts());
    assertEquals(2, store.base("kb").orElseThrow().version());
  }

  @Test
  void chunksWrittenWithoutACommitAreNotServed() {
    ingest("a.md", 1, "one");
    store.writeChunks("kb", "a.md", 2, List.of(chunk("a.md", 0, "half"), chunk("a.md", 1, "written")));

    assertEquals(List.of("one"), texts());

    ingest("a.md", 2, "next"); // the retry reuses generation 2 with fewer chunks: the orphan at position 1 goes
    assertEquals(List.of("next"), texts());
    store.deleteStaleChunks("kb", store.documents("kb").getFirst());
    assertEquals(List.of("next"), texts());
  }

  @Test
  void aCommitOverAGenerationThatMovedIsRefused() {
    ingest("a.md", 1, "one");

    assertThrows(
        ConcurrentKnowledgeChangeException.class,
        () -> store.commit("kb", new KnowledgeDocument("a.md", "h", "a.md", 1, 2, AT), 0, "model-a", 3, AT));
    assertEquals(List.of("one"), texts());
  }

  @Test
  void removesADocumentThenTheBase() {
    ingest("a.md", 1, "one");
    ingest("b.md", 1, "two");

    assertTrue(store.removeDocument("kb", "a.md", AT));
    assertFalse(store.removeDocument("kb", "a.md", AT));
    assertEquals(List.of("two"), texts());
    assertEquals(3, store.base("kb").orElseThrow().version());

    assertTrue(store.removeBase("kb"));
    assertFalse(store.removeBase("kb"));
    assertTrue(store.load("kb").isEmpty());
    assertTrue(store.documents("kb").isEmpty());
  }
}
