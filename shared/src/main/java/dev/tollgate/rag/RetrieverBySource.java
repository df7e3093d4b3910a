package dev.tollgate.rag;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends each query to the retriever its knowledge base's base item names: Bedrock Knowledge
 * Bases for {@code retriever: bedrock}, the knowledge table's index otherwise. A knowledge base
 * without a base item does not exist.
 */
public final class RetrieverBySource implements Retriever {

  private final Function<String, Optional<KnowledgeBaseSource>> sources;
  private final Retriever index;
  private final Retriever bedrock;

  /**
   * @param sources the base item of a knowledge base by name, if it has one
   * @throws RetrievalException from {@code sources} when the base items cannot be read
   */
  public RetrieverBySource(Function<String, Optional<KnowledgeBaseSource>> sources, Retriever index, Retriever bedrock) {
    this.sources = sources;
    this.index = index;
    this.bedrock = bedrock;
  }

  @Override
  public List<RetrievedChunk> retrieve(RetrievalQuery query) {
    KnowledgeBaseSource source = sources.apply(query.kb()).orElseThrow(() -> new UnknownKnowledgeBaseException(query.kb()));
    return (source.bedrock() ? bedrock : index).retrieve(query);
  }
}
