package dev.tollgate.rag;

import java.util.List;

/** A knowledge base as loaded at one version: the base item, its documents and their current chunks. */
public record KnowledgeSnapshot(KnowledgeBase base, List<KnowledgeDocument> documents, List<EmbeddedChunk> chunks) {

  public KnowledgeSnapshot {
    documents = List.copyOf(documents);
    chunks = List.copyOf(chunks);
  }
}
