package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.SourceDocument.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Plain text: paragraphs are separated by blank lines; lines within one are joined. Title: the file name. */
public final class TextReader implements DocumentReader {

  @Override
  public SourceDocument read(String id, byte[] bytes) throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (String paragraph : DocumentReader.utf8(bytes).split("\\R\\s*\\R")) {
      String joined = paragraph.strip().replaceAll("\\s*\\R\\s*", " ");
      if (!joined.isEmpty()) {
        blocks.add(Block.paragraph(joined));
      }
    }
    return new SourceDocument(id, DocumentReader.fileTitle(id), blocks, DocumentReader.metadata("text"), SourceDocument.sha256(bytes));
  }
}
