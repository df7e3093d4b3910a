package dev.tollgate.aws;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.audit.AuditTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads audit records of one consumer in a time range from the {@code byConsumer} index, newest
 * first, following DynamoDB's pages until {@code limit} records are in hand or none are left.
 */
public final class DynamoDbAuditReader {

  private final DynamoDbClient dynamo;
  private final String table;
  private final int pageSize;

  public DynamoDbAuditReader(DynamoDbClient dynamo, String table) {
    this(dynamo, table, 100);
  }

  /** As above, asking DynamoDB for at most {@code pageSize} items per page (tests use small pages). */
  DynamoDbAuditReader(DynamoDbClient dynamo, String table, int pageSize) {
    this.dynamo = dynamo;
    this.table = table;
    this.pageSize = pageSize;
  }

  /** At most {@code limit} records of {@code consumer} from {@code since} to {@code until} (both inclusive), newest first. */
  public List<AuditRecord> byConsumer(String consumer, Instant since, Instant until, int limit) {
    List<AuditRecord> records = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(table)
                  .indexName(TableSchemas.BY_CONSUMER)
                  .keyConditionExpression("#consumer = :consumer AND #at BETWEEN :since AND :until")
                  .expressionAttributeNames(Map.of("#consumer", AuditItems.CONSUMER, "#at", AuditItems.AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":consumer", AttributeValue.fromS(consumer),
                          ":since", AttributeValue.fromS(AuditTime.format(since)),
                          ":until", AttributeValue.fromS(AuditTime.format(until))))
                  .scanIndexForward(false)
                  .limit(Math.min(pageSize, limit - records.size()))
                  .exclusiveStartKey(start)
                  .build());
      page.items().forEach(item -> records.add(AuditItems.fromItem(item)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && records.size() < limit);
    return records;
  }
}
