package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Writes validated config items to the config table. Up to 100 items go in one transaction, all
 * or nothing; larger configs are written in transactions of 100, in the order given.
 */
public final class DynamoDbConfigWriter {

  static final int TRANSACTION_LIMIT = 100;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbConfigWriter(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** What an apply did. */
  public record Applied(int written, int deleted, int transactions) {}

  /** The item families a config file owns whole: with prune, what the file no longer holds goes. */
  private static final List<String> PRUNABLE =
      List.of(
          ItemKeys.ROUTE_PREFIX,
          ItemKeys.LIMIT_PREFIX,
          ItemKeys.PRICE_PREFIX,
          ItemKeys.GUARD_PREFIX,
          ItemKeys.DECORATOR_PREFIX,
          ItemKeys.TEMPLATE_PREFIX,
          ItemKeys.FILTER_PREFIX,
          ItemKeys.GUARDRAIL_PREFIX,
          ItemKeys.RULE_PREFIX,
          ItemKeys.RAG_PREFIX,
          ItemKeys.CACHE_PREFIX);

  /**
   * Upserts every item; with {@code prune}, also deletes route, target, limit, price, guard,
   * decorator, template, filter, guardrail, routing rule, retrieval and cache policy items that the
   * new set does not contain (API keys and settings are never pruned).
   */
  public Applied apply(List<ConfigItem> items, boolean prune) {
    List<TransactWriteItem> writes = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (ConfigItem item : items) {
      keys.add(item.pk() + "\u0000" + item.sk());
      writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(item)).build()).build());
    }
    int deleted = 0;
    if (prune) {
      for (ConfigItem existing : new DynamoDbConfigSource(dynamo, table).load()) {
        boolean prunable = PRUNABLE.stream().anyMatch(existing.pk()::startsWith);
        if (prunable && !keys.contains(existing.pk() + "\u0000" + existing.sk())) {
          writes.add(
              TransactWriteItem.builder()
                  .delete(Delete.builder().tableName(table).key(key(existing.pk(), existing.sk())).build())
                  .build());
          deleted++;
        }
      }
    }
    int transactions = 0;
    for (int from = 0; from < writes.size(); from += TRANSACTION_LIMIT) {
      List<TransactWriteItem> batch = writes.subList(from, Math.min(writes.size(), from + TRANSACTION_LIMIT));
      dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(batch).build());
      transactions++;
    }
    return new Applied(items.size(), deleted, transactions);
  }

  /** Adds one item that must not exist yet; false when an item with that key is already there. */
  public boolean insert(ConfigItem item) {
    try {
      dynamo.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(toItem(item))
              .conditionExpression("attribute_not_exists(pk)")
              .build());
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    }
  }

  static Map<String, AttributeValue> toItem(ConfigItem item) {
    ObjectNode attributes = item.attributes().deepCopy();
    Map<String, AttributeValue> values = AttributeValues.toItem(attributes);
    values.put(ItemKeys.PK, AttributeValue.fromS(item.pk()));
    values.put(ItemKeys.SK, AttributeValue.fromS(item.sk()));
    return values;
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(ItemKeys.PK, AttributeValue.fromS(pk), ItemKeys.SK, AttributeValue.fromS(sk));
  }
}
