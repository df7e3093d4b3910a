package dev.tollgate.rag.function;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockKnowledgeBaseRetriever;
import dev.tollgate.aws.BedrockTitanTextEmbedder;
import dev.tollgate.aws.DynamoDbKnowledgeBaseSources;
import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.rag.Retriever;
import dev.tollgate.rag.RetrieverBySource;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds RagFunction's retriever from its environment: base items pick the index or Bedrock Knowledge Bases. */
final class RagWiring {

  /** Bases served by the knowledge table: its in-memory index, loaded on first use, reloaded on a new version. */
  static final IndexRetrieverFactory INDEX =
      (dynamo, knowledgeTable, embedder, clock) ->
          new KnowledgeRetriever(new DynamoDbKnowledgeStore(dynamo, knowledgeTable), embedder);

  private RagWiring() {}

  static Retriever retriever(Map<String, String> env, IndexRetrieverFactory index) {
    Region region = Region.of(RagEnvironment.AWS_REGION.require(env));
    String table = RagEnvironment.KNOWLEDGE_TABLE.require(env);
    Clock clock = Clock.systemUTC();
    DynamoDbClient dynamo = AwsClients.dynamoDb(region, RagEnvironment.DYNAMODB_ENDPOINT.read(env).map(URI::create));
    var sources = new DynamoDbKnowledgeBaseSources(dynamo, table, clock);
    var bedrock =
        new BedrockKnowledgeBaseRetriever(
            () -> AwsClients.bedrockAgentRuntime(region, RagEnvironment.BEDROCK_AGENT_ENDPOINT.read(env).map(URI::create)),
            sources::bedrockKnowledgeBaseId);
    return new RetrieverBySource(sources, index.create(dynamo, table, embedder(env, region), clock), bedrock);
  }

  /**
   * Titan Text Embeddings with the model and size ingestion used. Unlike the proxy's, its client is
   * built now: every index query embeds, and built at init it is in the SnapStart snapshot.
   */
  static TextEmbedder embedder(Map<String, String> env, Region region) {
    int dimensions =
        RagEnvironment.EMBEDDING_DIMENSIONS.read(env).map(RagWiring::dimensions).orElse(BedrockTitanTextEmbedder.DEFAULT_DIMENSIONS);
    var client = AwsClients.bedrockRuntime(region, RagEnvironment.BEDROCK_ENDPOINT.read(env).map(URI::create));
    return new BedrockTitanTextEmbedder(
        () -> client,
        RagEnvironment.EMBEDDING_MODEL.read(env).orElse(BedrockTitanTextEmbedder.DEFAULT_MODEL),
        dimensions,
        BedrockTitanTextEmbedder.DEFAULT_TIMEOUT);
  }

  private static int dimensions(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          RagEnvironment.EMBEDDING_DIMENSIONS.variable() + " must be 256, 512 or 1024, was '" + value + "'");
    }
  }
}
