package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.rag.IngestResult;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.rag.KnowledgeStore;
import dev.tollgate.rag.KnowledgeStoreContract;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.SourceDocument.Block;
import dev.tollgate.rag.SourceDocument;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The knowledge table against DynamoDB Local: the store contract, then ingestion and retrieval through it. */
class DynamoDbKnowledgeStoreTest extends KnowledgeStoreContract {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private String table;

  @Override
  protected KnowledgeStore newStore() {
    table = dynamo.freshPrefix() + TableSchemas.KNOWLEDGE;
    TableSchemas.createKnowledge(dynamo.client(), table);
    return new DynamoDbKnowledgeStore(dynamo.client(), table);
  }

  private List<Map<String, AttributeValue>> items() {
    return new ArrayList<>(dynamo.client().scan(ScanRequest.builder().tableName(table).build()).items());
  }

  @Test
  void aHandEditedLexicalWeightThatIsNoWeightIsIgnoredNotFatal() {
    KnowledgeStore store = newStore();
    new KnowledgeIngestion(store, new HashingEmbedder())
        .ingest("kb", SourceDocument.of("a.md", "A", List.of(Block.paragraph("Refunds take thirty days."))));
    for (AttributeValue bad : List.of(AttributeValue.fromS("heavy"), AttributeValue.fromN("7"))) {
      dynamo.client().updateItem(b -> b.tableName(table)
          .key(Map.of("kb", AttributeValue.fromS("kb"), "sk", AttributeValue.fromS("base")))
          .updateExpression("SET lexicalWeight = :w").expressionAttributeValues(Map.of(":w", bad)));

      assertTrue(store.base("kb").orElseThrow().lexicalWeight().isEmpty(), bad.toString());
      assertEquals(1, store.load("kb").orElseThrow().chunks().size());
    }
  }

  @Test
  void aDocumentWhoseCurrentChunksAreNotAllThereIsNeverServedHalf() {
    KnowledgeStore store = newStore();
    new KnowledgeIngestion(store, new HashingEmbedder())
        .ingest("kb", SourceDocument.of("a.md", "A", List.of(Block.paragraph("Refunds take thirty days."))));
    // what a read sees when it caught the switch after the chunk pages: the document item says 2 chunks, 1 is there
    Map<String, AttributeValue> document =
        new java.util.HashMap<>(items().stream().filter(item -> item.get("sk").s().equals("doc#a.md")).findFirst().orElseThrow());
    document.put("chunkCount", AttributeValue.fromN("2"));
    dynamo.client().putItem(b -> b.tableName(table).item(document));

    RetrievalException refused = assertThrows(RetrievalException.class, () -> store.load("kb"));

    assertTrue(refused.getMessage().contains("a.md"), refused.getMessage());
  }

  @Test
  void ingestsManyChunksInBatchesAndAnUnchangedSecondIngestWritesNothing() {
    KnowledgeStore store = newStore();
    HashingEmbedder embedder = new HashingEmbedder();
    KnowledgeIngestion ingestion = new KnowledgeIngestion(store, embedder);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      blocks.add(Block.heading(2, "Section " + i));
      blocks.add(Block.paragraph("Error code ERR-" + (4000 + i) + " means topic number " + i + " failed."));
    }
    SourceDocument doc = SourceDocument.of("errors.md", "Errors", blocks);

    assertEquals("errors.md: ingested (60 chunks)", ingestion.ingest("kb", doc).describe());
    List<Map<String, AttributeValue>> before = items();
    assertEquals(60 + 2, before.size());
    // chunk#DOC#GENERATION#POSITION, the generation unique to this ingest
    assertTrue(before.stream().anyMatch(item -> item.get("sk").s().matches("chunk#errors\\.md#\\d+#00059")), before.toString());

    assertEquals(IngestResult.Outcome.UNCHANGED, ingestion.ingest("kb", doc).outcome());
    assertEquals(before, items());

    List<RetrievedChunk> found =
        new KnowledgeRetriever(store, embedder).retrieve(new RetrievalQuery("kb", "what does ERR-4042 mean", 1, 0, Map.of()));
    assertEquals("Errors > Section 42", found.getFirst().title());
  }
}
