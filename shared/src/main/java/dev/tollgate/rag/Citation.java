package dev.tollgate.rag;

/**
 * One chunk an answer was grounded in, as the client and the audit record see it: its number in
 * the context block ({@code [n]}), where it came from, and its score. Never its text.
 */
public record Citation(int n, String kb, String documentId, String chunkId, int position, double score) {

  static Citation of(int n, String kb, RetrievedChunk chunk) {
    return new Citation(n, kb, chunk.documentId(), chunk.chunkId(), chunk.position(), chunk.score());
  }
}
