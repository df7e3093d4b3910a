package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.rag.KnowledgeBaseSource;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.RetrieverBySource;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Base items in the knowledge table (DynamoDB Local) pick each knowledge base's retriever. */
class DynamoDbKnowledgeBaseSourcesTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private DynamoDbClient client;
  private String table;
  private final MutableClock clock = MutableClock.ahead(Duration.ZERO);

  @BeforeEach
  void createTable() {
    client = dynamo.client();
    table = dynamo.freshPrefix() + "knowledge";
    client.createTable(b -> b.tableName(table)
        .billingMode("PAY_PER_REQUEST")
        .attributeDefinitions(
            a -> a.attributeName("kb").attributeType(ScalarAttributeType.S), a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("kb").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
  }

  private void base(String kb, Map<String, String> attributes) {
    var item = new java.util.HashMap<String, AttributeValue>();
    item.put("kb", AttributeValue.fromS(kb));
    item.put("sk", AttributeValue.fromS("base"));
    attributes.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
    client.putItem(b -> b.tableName(table).item(item));
  }

  private static Retrieving named(String name) {
    return new Retrieving(name);
  }

  /** A retriever answering one chunk whose id names it. */
  private record Retrieving(String name) implements dev.tollgate.rag.Retriever {
    @Override
    public List<RetrievedChunk> retrieve(RetrievalQuery query) {
      return List.of(new RetrievedChunk(name, "d", "t", 0, "x", 1, Map.of()));
    }
  }

  @Test
  void eachBaseGoesToTheRetrieverItsBaseItemNames() {
    base("handbook", Map.of("retriever", "index"));
    base("legacy", Map.of("retriever", "bedrock", "bedrockKnowledgeBaseId", "KB12345678"));
    base("plain", Map.of());
    var sources = new DynamoDbKnowledgeBaseSources(client, table, clock);
    var retriever = new RetrieverBySource(sources, named("index"), named("bedrock"));

    assertEquals("index", retriever.retrieve(new RetrievalQuery("handbook", "q", 1, 0, Map.of())).getFirst().chunkId());
    assertEquals("bedrock", retriever.retrieve(new RetrievalQuery("legacy", "q", 1, 0, Map.of())).getFirst().chunkId());
    assertEquals("index", retriever.retrieve(new RetrievalQuery("plain", "q", 1, 0, Map.of())).getFirst().chunkId(), "index by default");
    assertThrows(UnknownKnowledgeBaseException.class, () -> retriever.retrieve(new RetrievalQuery("nope", "q", 1, 0, Map.of())));
    assertEquals(Optional.of("KB12345678"), sources.bedrockKnowledgeBaseId("legacy"));
    assertEquals(Optional.empty(), sources.bedrockKnowledgeBaseId("handbook"));
  }

  @Test
  void aBaseItemIsReadAgainOnlyAfterItsMaxAge() {
    var sources = new DynamoDbKnowledgeBaseSources(client, table, clock);
    assertEquals(Optional.empty(), sources.apply("new"));
    base("new", Map.of("retriever", "bedrock", "bedrockKnowledgeBaseId", "KBNEW"));
    assertEquals(Optional.empty(), sources.apply("new"), "kept for its max age");
    clock.advance(DynamoDbKnowledgeBaseSources.MAX_AGE);
    assertEquals(Optional.of(new KnowledgeBaseSource("bedrock", Optional.of("KBNEW"))), sources.apply("new"));
  }

  @Test
  void aTableThatCannotBeReadIsARetrievalFailure() {
    var sources = new DynamoDbKnowledgeBaseSources(client, table + "-missing", clock);
    var failure = assertThrows(RetrievalException.class, () -> sources.apply("handbook"));
    assertEquals(RetrievalException.class, failure.getClass());
  }
}
