package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.config.ItemKeys;
import dev.tollgate.testing.DynamoDbLocal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** {@link TableSchemas#createAll} against DynamoDB Local: both tables, their keys, TTL on counters. */
class TableSchemasTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private static TableDescription describe(DynamoDbClient client, String table) {
    return client.describeTable(DescribeTableRequest.builder().tableName(table).build()).table();
  }

  private static TimeToLiveDescription ttl(DynamoDbClient client, String table) {
    return client
        .describeTimeToLive(DescribeTimeToLiveRequest.builder().tableName(table).build())
        .timeToLiveDescription();
  }

  private static void assertPkSkStrings(TableDescription table) {
    assertEquals(
        List.of(
            KeySchemaElement.builder().attributeName(ItemKeys.PK).keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName(ItemKeys.SK).keyType(KeyType.RANGE).build()),
        table.keySchema());
    Map<String, ScalarAttributeType> types =
        table.attributeDefinitions().stream()
            .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeType));
    assertEquals(Map.of(ItemKeys.PK, ScalarAttributeType.S, ItemKeys.SK, ScalarAttributeType.S), types);
  }

  @Test
  void createsTheConfigAndCountersTablesWithStringKeysAndTtlOnCountersOnly() {
    DynamoDbClient client = dynamo.client();
    String prefix = dynamo.freshPrefix();

    TableSchemas.createAll(client, prefix);

    assertPkSkStrings(describe(client, prefix + TableSchemas.CONFIG));
    assertPkSkStrings(describe(client, prefix + TableSchemas.COUNTERS));
    TimeToLiveDescription counters = ttl(client, prefix + TableSchemas.COUNTERS);
    assertEquals(TimeToLiveStatus.ENABLED, counters.timeToLiveStatus());
    assertEquals(TableSchemas.TTL_ATTRIBUTE, counters.attributeName());
    assertEquals(TimeToLiveStatus.DISABLED, ttl(client, prefix + TableSchemas.CONFIG).timeToLiveStatus());
  }

  @Test
  void creatingAgainLeavesTheExistingTablesAsTheyAre() {
    DynamoDbClient client = dynamo.client();
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(client, prefix);
    var created = describe(client, prefix + TableSchemas.CONFIG).creationDateTime();

    TableSchemas.createAll(client, prefix);

    assertEquals(created, describe(client, prefix + TableSchemas.CONFIG).creationDateTime());
    assertEquals(TimeToLiveStatus.ENABLED, ttl(client, prefix + TableSchemas.COUNTERS).timeToLiveStatus());
  }
}
