package dev.tollgate.testing;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The audit table as the moderation tests need it: key {@code requestId} (S), as the audit
 * capability defines it; records are written here the way the proxy's audit hook writes them.
 */
public final class AuditTable {

  private AuditTable() {}

  public static void create(DynamoDbClient dynamo, String table) {
    dynamo.createTable(
        CreateTableRequest.builder()
            .tableName(table)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("requestId").attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("requestId").keyType(KeyType.HASH).build())
            .build());
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
