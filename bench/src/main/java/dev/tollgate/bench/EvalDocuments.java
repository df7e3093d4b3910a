package dev.tollgate.bench;

import dev.tollgate.cli.kb.DocumentFiles;
import dev.tollgate.rag.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The eval corpus as `tollgate kb ingest` reads it: the CLI's file walk and readers (Markdown,
 * text, HTML), ids relative to the corpus directory. A file they cannot read fails the run, since
 * every question's answer must be in the index.
 */
final class EvalDocuments {

  private EvalDocuments() {}

  static List<SourceDocument> read(EvalSet set) {
    List<SourceDocument> documents = new ArrayList<>();
    try {
      for (DocumentFiles.Found found : DocumentFiles.find(List.of(set.corpus()))) {
        DocumentFiles.Read read = DocumentFiles.read(found);
        documents.add(read.document().orElseThrow(() -> new IllegalStateException(read.id() + ": " + read.problem())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + set.corpus(), e);
    }
    return documents;
  }
}
