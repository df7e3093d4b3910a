package dev.tollgate.bench;

import dev.tollgate.rag.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The eval corpus as parsed documents, ids relative to the corpus as `tollgate kb ingest` gives them. */
final class EvalDocuments {

  private EvalDocuments() {}

  // INTERIM until h7-core's readers land in cli: a crude Markdown/text/HTML parse, replaced by them.
  static List<SourceDocument> read(EvalSet set) {
    List<SourceDocument> documents = new ArrayList<>();
    for (String id : set.documents()) {
      Path file = set.corpus().resolve(id);
      try {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        List<SourceDocument.Block> blocks = new ArrayList<>();
        if (id.endsWith(".html")) {
          text = text.replaceAll("(?s)<(script|style|nav)[^>]*>.*?</\\1>", " ")
              .replaceAll("(?i)<h([1-6])[^>]*>", "\n\n#$1 ").replaceAll("(?i)</(p|li|h[1-6])>", "\n\n").replaceAll("<[^>]+>", " ");
        }
        for (String paragraph : text.split("\\n\\s*\\n")) {
          String p = paragraph.strip();
          if (p.isEmpty()) {
            continue;
          }
          if (p.matches("#[1-6] .*")) {
            blocks.add(SourceDocument.Block.heading(p.charAt(1) - '0', p.substring(3)));
          } else if (p.startsWith("#")) {
            int level = (int) p.chars().takeWhile(c -> c == '#').count();
            blocks.add(SourceDocument.Block.heading(Math.min(level, 6), p.substring(level).strip()));
          } else {
            blocks.add(SourceDocument.Block.paragraph(p.replaceAll("\\s+", " ")));
          }
        }
        documents.add(new SourceDocument(id, null, blocks, Map.of(), SourceDocument.sha256(bytes)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return documents;
  }
}
