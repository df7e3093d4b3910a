package dev.tollgate.testing;

import dev.tollgate.aws.TableSchemas;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The audit table for the moderation tests, with minimal records standing in for those the
 * proxy's audit hook writes.
 */
public final class AuditTable {

  private AuditTable() {}

  /** The audit table exactly as the stack and the dev server create it. */
  public static void create(DynamoDbClient dynamo, String table) {
    TableSchemas.createAudit(dynamo, table);
  }

  /** A minimal audit record for {@code requestId}, moderation pending. */
  public static void putRecord(DynamoDbClient dynamo, String table, String requestId, String consumer) {
    dynamo.putItem(
        PutItemRequest.builder()
            .tableName(table)
            .item(Map.of(
                "requestId", AttributeValue.fromS(requestId),
                "consumer", AttributeValue.fromS(consumer),
                "status", AttributeValue.fromN("200"),
                "moderation", AttributeValue.fromS("pending")))
            .build());
  }

  /** The record, or an empty map. */
  public static Map<String, AttributeValue> record(DynamoDbClient dynamo, String table, String requestId) {
    return dynamo.getItem(
            GetItemRequest.builder().tableName(table).key(Map.of("requestId", AttributeValue.fromS(requestId))).consistentRead(true).build())
        .item();
  }
}
