package dev.tollgate.rag;

import java.util.Optional;

/**
 * Where a knowledge base's chunks are searched, as its base item ({@code sk=base}) says:
 * {@code retriever} is {@value #INDEX} (the knowledge table's own chunks) or {@value #BEDROCK}
 * (a Bedrock knowledge base, {@code bedrockKnowledgeBaseId}).
 */
public record KnowledgeBaseSource(String retriever, Optional<String> bedrockKnowledgeBaseId) {

  public static final String INDEX = "index";
  public static final String BEDROCK = "bedrock";

  public boolean bedrock() {
    return BEDROCK.equals(retriever);
  }
}
