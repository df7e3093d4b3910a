package dev.tollgate.rag;

import java.util.List;

/**
 * Finds the chunks of a knowledge base that best answer a query. Adapters: the knowledge table's
 * in-memory index (in process in dev, inside RagFunction in AWS), RagFunction called over Lambda
 * Invoke from the proxy, and Bedrock Knowledge Bases {@code Retrieve}.
 */
public interface Retriever {

  /** No knowledge base: every retrieval fails, naming what is missing. */
  Retriever NONE =
      query -> {
        throw new RetrievalException("no retriever is configured for this gateway (knowledge base '" + query.kb() + "')");
      };

  /**
   * At most {@code query.topK()} chunks scoring at least {@code query.minScore()}, best first.
   *
   * @throws UnknownKnowledgeBaseException when no knowledge base has that id
   * @throws RetrievalException when retrieval could not run (store, model or function unreachable)
   */
  List<RetrievedChunk> retrieve(RetrievalQuery query);
}
