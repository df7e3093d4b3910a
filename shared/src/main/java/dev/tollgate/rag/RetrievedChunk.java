package dev.tollgate.rag;

import java.util.Map;

/**
 * One chunk a retrieval found.
 *
 * @param documentId the source document's id within its knowledge base (its path when ingested from files)
 * @param position the chunk's index within its document, from 0
 * @param score similarity to the query, higher is better (cosine, or blended with lexical scoring)
 */
public record RetrievedChunk(
    String chunkId,
    String documentId,
    String title,
    int position,
    String text,
    double score,
    Map<String, String> metadata) {

  public RetrievedChunk {
    metadata = Map.copyOf(metadata);
  }
}
