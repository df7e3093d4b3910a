package dev.tollgate.rag;

import java.util.Map;

/** A stored chunk with its unit-length embedding: what the knowledge table holds and the index serves. */
public record EmbeddedChunk(
    String documentId, int position, String title, String text, Map<String, String> metadata, float[] vector) {

  public EmbeddedChunk {
    metadata = Map.copyOf(metadata);
  }

  public static EmbeddedChunk of(Chunk chunk, float[] vector) {
    return new EmbeddedChunk(chunk.documentId(), chunk.position(), chunk.title(), chunk.text(), chunk.metadata(), vector);
  }

  public String chunkId() {
    return Chunk.chunkId(documentId, position);
  }

  /** What is scored lexically: the title context, then the text (as {@link Chunk#embeddingText()}). */
  public String searchText() {
    return title.isEmpty() ? text : title + "\n" + text;
  }
}
