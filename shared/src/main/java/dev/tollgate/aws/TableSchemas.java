package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
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

  private TableSchemas() {}

  /** Creates both tables under {@code prefix} if they do not exist yet. */
  public static void createAll(DynamoDbClient dynamo, String prefix) {
    create(dynamo, prefix + CONFIG, false);
    create(dynamo, prefix + COUNTERS, true);
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
      dynamo.updateTimeToLive(
          UpdateTimeToLiveRequest.builder()
              .tableName(table)
              .timeToLiveSpecification(
                  TimeToLiveSpecification.builder().attributeName(TTL_ATTRIBUTE).enabled(true).build())
              .build());
    }
  }
}
