package dev.tollgate.rag.function;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.rag.Retriever;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Makes the retriever over the knowledge table's own chunks (its in-memory index) from RagFunction's parts. */
@FunctionalInterface
public interface IndexRetrieverFactory {

  Retriever create(DynamoDbClient dynamo, String knowledgeTable, TextEmbedder embedder, Clock clock);
}
