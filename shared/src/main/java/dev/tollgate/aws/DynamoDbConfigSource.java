package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigSource;
import dev.tollgate.config.ItemKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reads the whole config table with a paginated Scan. The table holds routes, targets, keys and
 * settings only (a few KB to a few MB), so one scan per refresh interval is cheap.
 */
public final class DynamoDbConfigSource implements ConfigSource {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbConfigSource(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public List<ConfigItem> load() {
    List<ConfigItem> items = new ArrayList<>();
    dynamo
        .scanPaginator(ScanRequest.builder().tableName(table).build())
        .items()
        .forEach(item -> items.add(toConfigItem(item)));
    return items;
  }

  @Override
  public String describe() {
    return "DynamoDB table " + table;
  }

  static ConfigItem toConfigItem(Map<String, AttributeValue> item) {
    ObjectNode attributes = AttributeValues.toJson(item);
    String pk = attributes.path(ItemKeys.PK).asText("");
    String sk = attributes.path(ItemKeys.SK).asText("");
    attributes.remove(ItemKeys.PK);
    attributes.remove(ItemKeys.SK);
    return ConfigItem.fromTable(pk, sk, attributes);
  }
}
