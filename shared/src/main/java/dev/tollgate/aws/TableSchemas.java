package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The tables Tollgate uses and their keys, as the code expects them. The SAM template defines
 * the same; a test holds the two together. Creation here is for the dev server and tests.
 */
public final class TableSchemas {

  /** The TTL attribute of tables whose items expire (epoch seconds). */
  public static final String TTL_ATTRIBUTE = "expiresAt";

  /** Config: routes, targets, keys, settings; {@code pk}/{@code sk} strings. */
  public static final String CONFIG = "config";

  /** Counters for limits and budgets (used from the limits capability on); TTL on. */
  public static final String COUNTERS = "counters";

  /** Audit records, one per request, {@code requestId} key, TTL on, index {@link #BY_CONSUMER}. */
  public static final String AUDIT = "audit";

  /** Knowledge bases: base, document and chunk items; {@code kb}/{@code sk} strings (see {@link DynamoDbKnowledgeStore}). */
  public static final String KNOWLEDGE = "knowledge";

  /** The audit table's index: partition {@code consumer}, sort {@code at} (ISO-8601 UTC text). */
  public static final String BY_CONSUMER = "byConsumer";

  private TableSchemas() {}

  /** Creates the tables under {@code prefix} if they do not exist yet. */
  public static void createAll(DynamoDbClient dynamo, String prefix) {
    create(dynamo, prefix + CONFIG, false);
    create(dynamo, prefix + COUNTERS, true);
    createAudit(dynamo, prefix + AUDIT);
    createKnowledge(dynamo, prefix + KNOWLEDGE);
  }

  /** Creates the knowledge table (partition {@code kb}, sort {@code sk}, both strings) if it does not exist yet. */
  public static void createKnowledge(DynamoDbClient dynamo, String table) {
    try {
      dynamo.createTable(
          CreateTableRequest.builder()
              .tableName(table)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(string(DynamoDbKnowledgeStore.KB), string(DynamoDbKnowledgeStore.SK))
              .keySchema(
                  KeySchemaElement.builder().attributeName(DynamoDbKnowledgeStore.KB).keyType(KeyType.HASH).build(),
                  KeySchemaElement.builder().attributeName(DynamoDbKnowledgeStore.SK).keyType(KeyType.RANGE).build())
              .build());
    } catch (ResourceInUseException alreadyThere) {
      // created before: leave it as it is
    }
  }

  /** Creates the audit table (key requestId, index byConsumer, TTL) if it does not exist yet. */
  public static void createAudit(DynamoDbClient dynamo, String table) {
    try {
      dynamo.createTable(
          CreateTableRequest.builder()
              .tableName(table)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(
                  string(AuditItems.REQUEST_ID), string(AuditItems.CONSUMER), string(AuditItems.AT))
              .keySchema(KeySchemaElement.builder().attributeName(AuditItems.REQUEST_ID).keyType(KeyType.HASH).build())
              .globalSecondaryIndexes(
                  GlobalSecondaryIndex.builder()
                      .indexName(BY_CONSUMER)
                      .keySchema(
                          KeySchemaElement.builder().attributeName(AuditItems.CONSUMER).keyType(KeyType.HASH).build(),
                          KeySchemaElement.builder().attributeName(AuditItems.AT).keyType(KeyType.RANGE).build())
                      .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                      .build())
              .build());
    } catch (ResourceInUseException alreadyThere) {
      return;
    }
    enableTtl(dynamo, table);
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static void enableTtl(DynamoDbClient dynamo, String table) {
    dynamo.updateTimeToLive(
        UpdateTimeToLiveRequest.builder()
            .tableName(table)
            .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(TTL_ATTRIBUTE).enabled(true).build())
            .build());
  }

  static void create(DynamoDbClient dynamo, String table, boolean ttl) {
    try {
      dynamo.createTable(
          CreateTableRequest.builder()
              .tableName(table)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(
                  AttributeDefinition.builder().attributeName(ItemKeys.PK).attributeType(ScalarAttributeType.S).build(),
                  AttributeDefinition.builder().attributeName(ItemKeys.SK).attributeType(ScalarAttributeType.S).build())
              .keySchema(
                  KeySchemaElement.builder().attributeName(ItemKeys.PK).keyType(KeyType.HASH).build(),
                  KeySchemaElement.builder().attributeName(ItemKeys.SK).keyType(KeyType.RANGE).build())
              .build());
    } catch (ResourceInUseException alreadyThere) {
      return;
    }
    if (ttl) {
      enableTtl(dynamo, table);
    }
  }
}
