package dev.tollgate.aws;

import dev.tollgate.rag.ConcurrentKnowledgeChangeException;
import dev.tollgate.rag.EmbeddedChunk;
import dev.tollgate.rag.KnowledgeBase;
import dev.tollgate.rag.KnowledgeDocument;
import dev.tollgate.rag.KnowledgeSnapshot;
import dev.tollgate.rag.KnowledgeStore;
import dev.tollgate.rag.RetrievalException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The knowledge table ({@code <prefix>knowledge}, partition {@code kb}, sort {@code sk}):
 *
 * <pre>
 * sk = base                             version, modelId, dimensions, updatedAt, retriever ("index" | "bedrock"),
 *                                       bedrockKnowledgeBaseId, lexicalWeight (optional)
 * sk = doc#DOCID                        contentHash, title, chunkCount, generation, ingestedAt
 * sk = chunk#DOCID#GENERATION#POSITION  docId, generation, position, title, text, metadata (M of S),
 *                                       vector (B: see QuantizedVectors), POSITION with 5 digits
 * </pre>
 *
 * A document is replaced by writing its next generation's chunks (BatchWriteItem), then one
 * TransactWriteItems that puts the document item with the new generation (only if it still holds
 * the previous one) and bumps the base version, then deleting the other generations' chunks. A
 * load reads the whole partition in one paginated Query and keeps only chunks of each document's
 * current generation; if the base version moved during the read, it reads again.
 */
public final class DynamoDbKnowledgeStore implements KnowledgeStore {

  public static final String KB = "kb";
  public static final String SK = "sk";
  static final String BASE_SK = "base";
  static final String DOC_PREFIX = "doc#";
  static final String CHUNK_PREFIX = "chunk#";
  private static final int LOAD_ATTEMPTS = 3;

  private final DynamoDbClient dynamo;
  private final String table;
  private final KnowledgeItems items = new KnowledgeItems();

  public DynamoDbKnowledgeStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static Map<String, AttributeValue> key(String kb, String sk) {
    return Map.of(KB, AttributeValue.fromS(kb), SK, AttributeValue.fromS(sk));
  }

  static String chunkSk(String documentId, long generation, int position) {
    return CHUNK_PREFIX + documentId + "#" + generation + "#" + String.format("%05d", position);
  }

  @Override
  public Optional<KnowledgeBase> base(String kb) {
    Map<String, AttributeValue> item =
        dynamo.getItem(GetItemRequest.builder().tableName(table).key(key(kb, BASE_SK)).consistentRead(true).build()).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(items.base(item));
  }

  @Override
  public List<KnowledgeBase> bases() {
    List<KnowledgeBase> bases = new ArrayList<>();
    dynamo.scanPaginator(
            ScanRequest.builder()
                .tableName(table)
                .filterExpression("sk = :base")
                .expressionAttributeValues(Map.of(":base", AttributeValue.fromS(BASE_SK)))
                .build())
        .items()
        .forEach(item -> bases.add(items.base(item)));
    bases.sort(java.util.Comparator.comparing(KnowledgeBase::kb));
    return bases;
  }

  @Override
  public List<KnowledgeDocument> documents(String kb) {
    return query(kb, DOC_PREFIX).stream().map(items::document).toList();
  }

  @Override
  public Optional<KnowledgeSnapshot> load(String kb) {
    for (int attempt = 1; ; attempt++) {
      Optional<KnowledgeSnapshot> snapshot;
      try {
        snapshot = items.snapshot(query(kb, null));
      } catch (KnowledgeItems.IncompleteSnapshotException caughtMidIngest) {
        if (attempt == LOAD_ATTEMPTS) {
          // never serve a half-written document: the caller keeps the index it has, or fails as onError says
          throw new RetrievalException("knowledge base '" + kb + "' kept changing while it was read: " + caughtMidIngest.getMessage());
        }
        continue;
      }
      Optional<Long> now = base(kb).map(KnowledgeBase::version);
      if (now.equals(snapshot.map(s -> s.base().version())) || attempt == LOAD_ATTEMPTS) {
        return snapshot;
      }
    }
  }

  private List<Map<String, AttributeValue>> query(String kb, String skPrefix) {
    QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true);
    if (skPrefix == null) {
      request.keyConditionExpression("kb = :kb").expressionAttributeValues(Map.of(":kb", AttributeValue.fromS(kb)));
    } else {
      request
          .keyConditionExpression("kb = :kb AND begins_with(sk, :prefix)")
          .expressionAttributeValues(Map.of(":kb", AttributeValue.fromS(kb), ":prefix", AttributeValue.fromS(skPrefix)));
    }
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    dynamo.queryPaginator(request.build()).items().forEach(found::add);
    return found;
  }

  @Override
  public void writeChunks(String kb, String documentId, long generation, List<EmbeddedChunk> chunks) {
    List<Map<String, AttributeValue>> puts = new ArrayList<>(chunks.size());
    for (EmbeddedChunk chunk : chunks) {
      puts.add(items.chunk(kb, chunkSk(documentId, generation, chunk.position()), generation, chunk));
    }
    new BatchWrites(dynamo, table).put(puts);
  }

  @Override
  public void commit(
      String kb, KnowledgeDocument document, long previousGeneration, String modelId, int dimensions, Instant at) {
    Put putDocument =
        Put.builder()
            .tableName(table)
            .item(items.document(kb, document))
            .conditionExpression(previousGeneration == 0 ? "attribute_not_exists(sk)" : "generation = :previous")
            .expressionAttributeValues(
                previousGeneration == 0 ? null : Map.of(":previous", AttributeValue.fromN(Long.toString(previousGeneration))))
            .build();
    Update bumpBase =
        Update.builder()
            .tableName(table)
            .key(key(kb, BASE_SK))
            .updateExpression(
                "SET version = if_not_exists(version, :zero) + :one, updatedAt = :at, modelId = if_not_exists(modelId, :model),"
                    + " dimensions = if_not_exists(dimensions, :dims), retriever = if_not_exists(retriever, :index)")
            .conditionExpression("attribute_not_exists(modelId) OR modelId = :model")
            .expressionAttributeValues(
                Map.of(
                    ":zero", AttributeValue.fromN("0"),
                    ":one", AttributeValue.fromN("1"),
                    ":at", AttributeValue.fromS(at.toString()),
                    ":model", AttributeValue.fromS(modelId),
                    ":dims", AttributeValue.fromN(Integer.toString(dimensions)),
                    ":index", AttributeValue.fromS(KnowledgeBase.INDEX_RETRIEVER)))
            .build();
    try {
      dynamo.transactWriteItems(
          request -> request.transactItems(
              TransactWriteItem.builder().put(putDocument).build(), TransactWriteItem.builder().update(bumpBase).build()));
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
        throw new ConcurrentKnowledgeChangeException(kb, document.documentId());
      }
      if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
        throw new IllegalStateException("knowledge base '" + kb + "' holds vectors of another model than '" + modelId + "'");
      }
      throw e;
    }
  }

  @Override
  public void deleteStaleChunks(String kb, KnowledgeDocument current) {
    List<Map<String, AttributeValue>> stale = new ArrayList<>();
    for (Map<String, AttributeValue> item : query(kb, CHUNK_PREFIX + current.documentId() + "#")) {
      if (items.belongsTo(item, current.documentId()) && !items.isCurrent(item, current)) {
        stale.add(key(kb, item.get(SK).s()));
      }
    }
    new BatchWrites(dynamo, table).delete(stale);
  }

  @Override
  public boolean removeDocument(String kb, String documentId, Instant at) {
    Delete deleteDocument =
        Delete.builder().tableName(table).key(key(kb, DOC_PREFIX + documentId)).conditionExpression("attribute_exists(sk)").build();
    Update bumpBase =
        Update.builder()
            .tableName(table)
            .key(key(kb, BASE_SK))
            .updateExpression("SET version = version + :one, updatedAt = :at")
            .conditionExpression("attribute_exists(version)")
            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":at", AttributeValue.fromS(at.toString())))
            .build();
    boolean removed = true;
    try {
      dynamo.transactWriteItems(
          request -> request.transactItems(
              TransactWriteItem.builder().delete(deleteDocument).build(), TransactWriteItem.builder().update(bumpBase).build()));
    } catch (TransactionCanceledException e) {
      removed = false; // the document (or the base) was not there; its orphaned chunks, if any, still go
    }
    deleteChunksOf(kb, documentId);
    return removed;
  }

  private void deleteChunksOf(String kb, String documentId) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (Map<String, AttributeValue> item : query(kb, CHUNK_PREFIX + documentId + "#")) {
      if (items.belongsTo(item, documentId)) {
        keys.add(key(kb, item.get(SK).s()));
      }
    }
    new BatchWrites(dynamo, table).delete(keys);
  }

  @Override
  public boolean removeBase(String kb) {
    Map<String, AttributeValue> old =
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(kb, BASE_SK)).returnValues(ReturnValue.ALL_OLD).build())
            .attributes();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (Map<String, AttributeValue> item : query(kb, null)) {
      keys.add(key(kb, item.get(SK).s()));
    }
    new BatchWrites(dynamo, table).delete(keys);
    return old != null && !old.isEmpty();
  }
}
