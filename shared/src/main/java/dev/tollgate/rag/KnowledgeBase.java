package dev.tollgate.rag;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A knowledge base's base item: its version (bumped on every change, so servers know to reload),
 * the embedding model its vectors come from, and which retriever serves it: {@code index} (the
 * knowledge table through the in-memory index) or {@code bedrock} (a Bedrock Knowledge Base).
 *
 * @param lexicalWeight the BM25 share of the blended score for this base, when set (else the server's default)
 */
public record KnowledgeBase(
    String kb,
    long version,
    String modelId,
    int dimensions,
    Instant updatedAt,
    String retriever,
    Optional<String> bedrockKnowledgeBaseId,
    OptionalDouble lexicalWeight) {

  public static final String INDEX_RETRIEVER = "index";
  public static final String BEDROCK_RETRIEVER = "bedrock";

  public boolean servedByIndex() {
    return INDEX_RETRIEVER.equals(retriever);
  }
}
