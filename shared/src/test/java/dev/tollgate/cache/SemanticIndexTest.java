package dev.tollgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.embedding.Vectors;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-bucket list of recent vectors: best match, cap, expiry, model, and its stored form. */
class SemanticIndexTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static float[] v(float... values) {
    return Vectors.normalized(values);
  }

  private static SemanticIndex.Entry entry(String key, int second, float... values) {
    return new SemanticIndex.Entry(key, T0.plusSeconds(second), v(values));
  }

  @Test
  void theClosestEntryAtOrAboveTheThresholdWins() {
    SemanticIndex index = SemanticIndex.EMPTY
        .with(entry("a", 1, 1, 0), "m", T0)
        .with(entry("b", 2, 1, 1), "m", T0);
    assertEquals("b", index.best(v(1, 0.9f), "m", 0.9, T0).orElseThrow().key());
    assertEquals(Optional.empty(), index.best(v(0, 1), "m", 0.8, T0));
    assertEquals(Optional.empty(), index.best(v(1, 0), "other-model", 0.5, T0), "another model's vectors are never compared");
  }

  @Test
  void onlyTheNewestEntriesAreKeptAndExpiredOnesDropped() {
    SemanticIndex index = SemanticIndex.EMPTY;
    for (int i = 0; i < SemanticIndex.MAX_ENTRIES + 5; i++) {
      index = index.with(entry("k" + i, i + 1, 1, i), "m", T0);
    }
    assertEquals(SemanticIndex.MAX_ENTRIES, index.entries().size());
    assertEquals("k5", index.entries().getFirst().key());
    SemanticIndex later = index.with(entry("new", 100, 1, 0), "m", T0.plusSeconds(30));
    // k5..k36 were stored at seconds 6..37: those at 31..37 are younger than the cut, plus the new one
    assertEquals(8, later.entries().size());
    assertEquals("k30", later.entries().getFirst().key());
  }

  @Test
  void aNewModelStartsTheListAfresh() {
    SemanticIndex index = SemanticIndex.EMPTY.with(entry("a", 1, 1, 0), "m1", T0).with(entry("b", 2, 1, 0), "m2", T0);
    assertEquals("m2", index.model());
    assertEquals(1, index.entries().size());
  }

  @Test
  void itSurvivesItsStoredFormAndADamagedOneReadsAsEmpty() {
    SemanticIndex index = SemanticIndex.EMPTY.with(entry("a", 1, 0.25f, -3), "m", T0);
    SemanticIndex read = SemanticIndex.fromJson(index.toJson());
    assertEquals("m", read.model());
    assertEquals("a", read.entries().getFirst().key());
    assertEquals(T0.plusSeconds(1), read.entries().getFirst().storedAt());
    assertEquals(1.0, Vectors.dot(read.entries().getFirst().vector(), v(0.25f, -3)), 1e-6);
    assertEquals(0, SemanticIndex.fromJson("not json").entries().size());
  }
}
