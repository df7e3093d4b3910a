package dev.tollgate.rag;

import java.util.Map;

/**
 * One piece of a document, ready to embed: its position within the document (0..n-1), its title
 * context (the document title and heading path, e.g. "Refund policy > Card payments") and text.
 */
public record Chunk(String documentId, int position, String title, String text, Map<String, String> metadata) {

  public Chunk {
    metadata = Map.copyOf(metadata);
  }

  /** Stable for a given document and position: {@code documentId#position}. */
  public String chunkId() {
    return chunkId(documentId, position);
  }

  public static String chunkId(String documentId, int position) {
    return documentId + "#" + position;
  }

  /** What is embedded and scored lexically: the title context, then the text. */
  public String embeddingText() {
    return title.isEmpty() ? text : title + "\n" + text;
  }
}
