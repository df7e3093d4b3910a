package dev.tollgate.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A document as a reader parsed it: its id within the knowledge base (the file's path), a title,
 * its structure as headings and paragraphs, metadata every chunk of it carries, and the SHA-256 of
 * its source bytes (so re-ingesting an unchanged file writes nothing).
 */
public record SourceDocument(
    String id, String title, List<Block> blocks, Map<String, String> metadata, String contentHash) {

  public SourceDocument {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a document needs an id");
    }
    title = title == null || title.isBlank() ? id : title.strip();
    blocks = List.copyOf(blocks);
    metadata = Map.copyOf(metadata);
    if (contentHash == null || contentHash.isBlank()) {
      throw new IllegalArgumentException("document '" + id + "' needs a content hash");
    }
  }

  /** A document without metadata whose hash is taken over its title and text (for tests and callers without files). */
  public static SourceDocument of(String id, String title, List<Block> blocks) {
    StringBuilder all = new StringBuilder(title == null ? "" : title);
    for (Block block : blocks) {
      all.append('\n').append(block.level()).append(':').append(block.text());
    }
    return new SourceDocument(id, title, blocks, Map.of(), sha256(all.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Hex SHA-256 of {@code bytes}: the content hash of a file. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The document's text has no words at all (a scanned PDF, an empty file). */
  public boolean isBlank() {
    return blocks.stream().allMatch(block -> block.text().isBlank());
  }

  /**
   * One structural block: a heading (level 1..6) or a paragraph (level 0; a list item, a code
   * block and a PDF page are paragraphs too).
   */
  public record Block(int level, String text) {

    public Block {
      if (level < 0 || level > 6) {
        throw new IllegalArgumentException("heading level must be 0 (paragraph) to 6, was " + level);
      }
      text = text == null ? "" : text.strip();
    }

    public static Block heading(int level, String text) {
      return new Block(level, text);
    }

    public static Block paragraph(String text) {
      return new Block(0, text);
    }

    public boolean isHeading() {
      return level > 0;
    }
  }
}
