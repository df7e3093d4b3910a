package dev.tollgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.rag.Chunk;
import dev.tollgate.rag.Chunker;
import dev.tollgate.rag.SourceDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped retrieval eval set (bench/rag-eval) is what RagEval and the README say it is. */
class EvalSetTest {

  private static final Path DIRECTORY = Path.of("rag-eval");
  private final EvalSet set = EvalSet.load(DIRECTORY);

  @Test
  void fortyQuestionsWithDistinctIdsAndTexts() {
    assertEquals(40, set.questions().size());
    Set<String> ids = new HashSet<>();
    Set<String> texts = new HashSet<>();
    for (EvalSet.Question q : set.questions()) {
      assertTrue(ids.add(q.id()), "duplicate id " + q.id());
      assertTrue(texts.add(q.text()), "duplicate question " + q.text());
      assertTrue(!q.text().isBlank(), q.id() + " has no text");
    }
  }

  @Test
  void everyAnswerIsADocumentOfTheCorpus() {
    List<String> documents = set.documents();
    for (EvalSet.Question q : set.questions()) {
      assertTrue(!q.answers().isEmpty(), q.id() + " names no document");
      for (String answer : q.answers()) {
        assertTrue(documents.contains(answer), q.id() + " names " + answer + ", which is not in " + set.corpus());
      }
    }
  }

  @Test
  void aboutTwentyDocumentsInMarkdownTextAndHtml() {
    List<String> documents = set.documents();
    assertTrue(documents.size() >= 18 && documents.size() <= 22, documents.size() + " documents");
    assertTrue(count(documents, ".html") >= 2, "at least two HTML documents");
    assertTrue(count(documents, ".txt") >= 2, "at least two text documents");
    assertTrue(count(documents, ".md") >= documents.size() / 2, "mostly Markdown");
    assertEquals(documents.size(), count(documents, ".md") + count(documents, ".txt") + count(documents, ".html"));
  }

  @Test
  void everyDocumentHasBetween300And1500Words() throws IOException {
    for (String document : set.documents()) {
      String text = Files.readString(set.corpus().resolve(document)).replaceAll("<[^>]*>", " ");
      int words = text.trim().split("\\s+").length;
      assertTrue(words >= 300 && words <= 1500, document + " has " + words + " words");
    }
  }

  @Test
  void everyDocumentAnswersAtLeastOneQuestion() {
    Set<String> answered = new HashSet<>();
    set.questions().forEach(q -> answered.addAll(q.answers()));
    for (String document : set.documents()) {
      assertTrue(answered.contains(document), document + " answers no question");
    }
  }

  @Test
  void theCliReadersReadEveryDocumentIntoTitledChunks() {
    List<SourceDocument> documents = EvalDocuments.read(set);
    assertEquals(set.documents(), documents.stream().map(SourceDocument::id).toList());
    Chunker chunker = new Chunker();
    for (SourceDocument document : documents) {
      List<Chunk> chunks = chunker.chunk(document);
      assertTrue(chunks.size() >= 2, document.id() + " is " + chunks.size() + " chunk(s)");
      assertTrue(!document.title().equals(document.id()), document.id() + " has no title of its own");
    }
  }

  private static long count(List<String> documents, String extension) {
    return documents.stream().filter(d -> d.endsWith(extension)).count();
  }
}
