package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.rag.SourceDocument.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  private final Chunker chunker = new Chunker(new ChunkerOptions(200, 0.15));

  private static String sentences(String prefix, int count) {
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      all.add(prefix + " sentence number " + i + " explains one more detail.");
    }
    return String.join(" ", all);
  }

  @Test
  void aTinyDocumentIsOneChunkTitledByTheDocument() {
    SourceDocument doc = SourceDocument.of("notes.txt", "Notes", List.of(Block.paragraph("Short text.")));

    List<Chunk> chunks = chunker.chunk(doc);

    assertEquals(1, chunks.size());
    assertEquals(new Chunk("notes.txt", 0, "Notes", "Short text.", Map.of()), chunks.getFirst());
  }

  @Test
  void aDocumentWithoutTextHasNoChunks() {
    assertTrue(chunker.chunk(SourceDocument.of("e.md", "E", List.of(Block.heading(1, "Only a heading")))).isEmpty());
  }

  @Test
  void everyHeadingStartsANewChunkCarryingItsHeadingPath() {
    SourceDocument doc =
        SourceDocument.of(
            "refunds.md",
            "Refunds",
            List.of(
                Block.heading(1, "Refunds"),
                Block.paragraph("Refunds are issued within 14 days."),
                Block.heading(2, "Card payments"),
                Block.paragraph("Cards are refunded to the same card."),
                Block.heading(3, "Amex"),
                Block.paragraph("Amex takes longer."),
                Block.heading(2, "Invoices"),
                Block.paragraph("Invoices get a credit note.")));

    List<Chunk> chunks = chunker.chunk(doc);

    assertEquals(
        List.of("Refunds", "Refunds > Card payments", "Refunds > Card payments > Amex", "Refunds > Invoices"),
        chunks.stream().map(Chunk::title).toList());
    assertEquals("Cards are refunded to the same card.", chunks.get(1).text());
    assertEquals("Invoices get a credit note.", chunks.get(3).text());
  }

  @Test
  void paragraphsArePackedWholeWhileTheyFit() {
    SourceDocument doc =
        SourceDocument.of("a.txt", "A", List.of(Block.paragraph("First paragraph."), Block.paragraph("Second paragraph.")));

    assertEquals("First paragraph.\n\nSecond paragraph.", chunker.chunk(doc).getFirst().text());
  }

  @Test
  void aLongParagraphIsCutAtSentenceEndsWithOverlapAndNeverMidWord() {
    String text = sentences("This", 20);
    SourceDocument doc = SourceDocument.of("long.txt", "Long", List.of(Block.paragraph(text)));

    List<Chunk> chunks = chunker.chunk(doc);

    assertTrue(chunks.size() > 3, "chunks: " + chunks.size());
    for (Chunk chunk : chunks) {
      assertTrue(chunk.text().length() <= 200 + 2 * 30 + 1, "too long: " + chunk.text().length());
      assertTrue(chunk.text().startsWith("This sentence number"), "starts mid-sentence: " + chunk.text());
      assertTrue(chunk.text().endsWith("detail."), "ends mid-sentence: " + chunk.text());
    }
    for (int i = 1; i < chunks.size(); i++) {
      String previous = chunks.get(i - 1).text();
      String lastSentence = previous.substring(previous.lastIndexOf("This sentence"));
      assertTrue(chunks.get(i).text().startsWith(lastSentence), "no overlap between chunks " + (i - 1) + " and " + i);
    }
  }

  @Test
  void aSentenceLongerThanAChunkIsCutBetweenWords() {
    String words = String.join(" ", IntStream.range(0, 120).mapToObj(i -> "word" + i).toList());
    SourceDocument doc = SourceDocument.of("w.txt", "W", List.of(Block.paragraph(words)));

    List<Chunk> chunks = chunker.chunk(doc);

    assertTrue(chunks.size() > 2);
    for (Chunk chunk : chunks) {
      for (String word : chunk.text().split("\\s+")) {
        assertTrue(word.matches("word\\d+"), "cut word: " + word);
      }
    }
    String joined = String.join(" ", chunks.stream().map(Chunk::text).toList());
    assertTrue(joined.contains("word119") && joined.contains("word0 "));
  }

  @Test
  void overlapStaysWithinASection() {
    SourceDocument doc =
        SourceDocument.of(
            "s.md",
            "S",
            List.of(Block.heading(2, "One"), Block.paragraph(sentences("One", 6)), Block.heading(2, "Two"), Block.paragraph("Two text.")));

    List<Chunk> chunks = chunker.chunk(doc);

    assertEquals("Two text.", chunks.getLast().text());
    assertEquals("S > Two", chunks.getLast().title());
  }

  @Test
  void positionsRunFromZeroAndIdsAreStable() {
    SourceDocument doc = SourceDocument.of("d.md", "D", List.of(Block.paragraph(sentences("A", 30)), Block.heading(2, "B"), Block.paragraph("b")));

    List<Chunk> first = chunker.chunk(doc);
    List<Chunk> second = chunker.chunk(SourceDocument.of("d.md", "D", doc.blocks()));

    assertEquals(IntStream.range(0, first.size()).boxed().toList(), first.stream().map(Chunk::position).toList());
    assertEquals(first, second);
    assertEquals("d.md#0", first.getFirst().chunkId());
  }

  @Test
  void noOverlapWhenSetToZero() {
    Chunker plain = new Chunker(new ChunkerOptions(200, 0));
    List<Chunk> chunks = plain.chunk(SourceDocument.of("p.txt", "P", List.of(Block.paragraph(sentences("P", 20)))));

    String joined = String.join(" ", chunks.stream().map(Chunk::text).toList());
    assertEquals(sentences("P", 20), joined);
  }

  @Test
  void chunksCarryTheDocumentsMetadata() {
    SourceDocument doc = new SourceDocument("m.md", "M", List.of(Block.paragraph("x")), Map.of("team", "billing"), "h");

    assertEquals(Map.of("team", "billing"), chunker.chunk(doc).getFirst().metadata());
  }

  @Test
  void optionsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkerOptions(10, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerOptions(800, 0.6));
    assertFalse(new Chunker().options().overlap() == 0);
  }
}
