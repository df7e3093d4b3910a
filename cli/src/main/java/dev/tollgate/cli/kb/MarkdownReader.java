package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.SourceDocument.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown: ATX headings ({@code #} to {@code ######}) start sections, blank lines separate
 * paragraphs, each list item and each fenced code block is a paragraph, YAML front matter is
 * skipped. Title: the first level-1 heading, else the file name.
 */
public final class MarkdownReader implements DocumentReader {

  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(\\s+#+)?\\s*$");
  private static final Pattern LIST_ITEM = Pattern.compile("^\\s*([-*+]|\\d+[.)])\\s+.*");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*");

  @Override
  public SourceDocument read(String id, byte[] bytes) throws IOException {
    List<String> lines = DocumentReader.utf8(bytes).lines().toList();
    List<Block> blocks = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    String title = null;
    boolean inFence = false;
    int start = frontMatterEnd(lines);
    for (int i = start; i < lines.size(); i++) {
      String line = lines.get(i);
      if (FENCE.matcher(line).matches()) {
        flush(paragraph, blocks); // a code block is a paragraph of its own
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        paragraph.append(paragraph.isEmpty() ? "" : "\n").append(line);
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        flush(paragraph, blocks);
        int level = heading.group(1).length();
        String text = heading.group(2).strip();
        blocks.add(Block.heading(level, text));
        if (level == 1 && title == null) {
          title = text;
        }
      } else if (line.isBlank()) {
        flush(paragraph, blocks);
      } else {
        if (LIST_ITEM.matcher(line).matches()) {
          flush(paragraph, blocks);
        }
        paragraph.append(paragraph.isEmpty() ? "" : " ").append(line.strip());
      }
    }
    flush(paragraph, blocks);
    return new SourceDocument(
        id, title != null ? title : DocumentReader.fileTitle(id), blocks, DocumentReader.metadata("markdown"), SourceDocument.sha256(bytes));
  }

  private static int frontMatterEnd(List<String> lines) {
    if (lines.isEmpty() || !lines.getFirst().strip().equals("---")) {
      return 0;
    }
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("---")) {
        return i + 1;
      }
    }
    return 0;
  }

  private static void flush(StringBuilder paragraph, List<Block> blocks) {
    if (!paragraph.toString().isBlank()) {
      blocks.add(Block.paragraph(paragraph.toString()));
    }
    paragraph.setLength(0);
  }
}
