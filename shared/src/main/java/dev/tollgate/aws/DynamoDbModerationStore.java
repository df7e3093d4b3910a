package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import dev.tollgate.moderation.ModerationOutcome;
import dev.tollgate.moderation.ModerationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The moderation function's writes, in DynamoDB:
 *
 * <ul>
 *   <li>audit table (key {@code requestId}): {@code SET moderation = :outcome}, only if the record
 *       exists ({@code attribute_exists(requestId)});
 *   <li>counters table: one item per consumer and flag window, {@code pk = moderation#CONSUMER#WINDOWSTART}
 *       ({@code WINDOWSTART} in epoch seconds), {@code sk = flags}, holding {@code flags} (a number),
 *       {@code requestIds} (a string set: each request counts once, so a retried message does not
 *       count twice; at most {@link #TRACKED_REQUESTS} ids) and {@code expiresAt} (TTL: a day after
 *       the window ends);
 *   <li>config table: {@code SET enabled = false} on every {@code key#...} item whose
 *       {@code consumer} is the flagged consumer (found by a filtered Scan).
 * </ul>
 */
public final class DynamoDbModerationStore implements ModerationStore {

  static final String FLAG_PREFIX = "moderation#";
  static final String FLAG_SK = "flags";
  /** Counters linger this long after their window, for operators to look at. */
  static final Duration FLAG_RETENTION = Duration.ofDays(1);
  /**
   * Request ids kept per counter for counting each once: enough for any sensible
   * {@code disableAfterFlags}, and far below DynamoDB's 400 KB item limit. Past it, flags are
   * still counted, without the guard against counting a redelivered message twice.
   */
  static final int TRACKED_REQUESTS = 2_000;

  private final DynamoDbClient dynamo;
  private final String auditTable;
  private final String countersTable;
  private final String configTable;
  private final int trackedRequests;

  public DynamoDbModerationStore(DynamoDbClient dynamo, String auditTable, String countersTable, String configTable) {
    this(dynamo, auditTable, countersTable, configTable, TRACKED_REQUESTS);
  }

  DynamoDbModerationStore(
      DynamoDbClient dynamo, String auditTable, String countersTable, String configTable, int trackedRequests) {
    this.dynamo = dynamo;
    this.auditTable = auditTable;
    this.countersTable = countersTable;
    this.configTable = configTable;
    this.trackedRequests = trackedRequests;
  }

  /** The counters item's partition key for {@code consumer}'s flags in the window starting at {@code windowStart}. */
  public static String flagPk(String consumer, Instant windowStart) {
    return FLAG_PREFIX + consumer + "#" + windowStart.getEpochSecond();
  }

  @Override
  public boolean recordOutcome(String requestId, ModerationOutcome outcome) {
    Map<String, AttributeValue> verdict = new HashMap<>();
    verdict.put("action", AttributeValue.fromS(outcome.action()));
    verdict.put("guardrailId", AttributeValue.fromS(outcome.guardrailId()));
    verdict.put("guardrailVersion", AttributeValue.fromS(outcome.guardrailVersion()));
    verdict.put("at", AttributeValue.fromS(outcome.at().toString()));
    if (!outcome.reason().isBlank()) {
      verdict.put("reason", AttributeValue.fromS(outcome.reason()));
    }
    if (!outcome.policies().isBlank()) {
      verdict.put("policies", AttributeValue.fromS(outcome.policies()));
    }
    try {
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(auditTable)
              .key(Map.of("requestId", AttributeValue.fromS(requestId)))
              .updateExpression("SET moderation = :verdict")
              .conditionExpression("attribute_exists(requestId)")
              .expressionAttributeValues(Map.of(":verdict", AttributeValue.fromM(verdict)))
              .build());
      return true;
    } catch (ConditionalCheckFailedException missing) {
      return false;
    }
  }

  @Override
  public long countFlag(String consumer, Instant windowStart, Duration window, String requestId) {
    String expiresAt = Long.toString(windowStart.plus(window).plus(FLAG_RETENTION).getEpochSecond());
    Map<String, AttributeValue> key = key(flagPk(consumer, windowStart), FLAG_SK);
    try {
      UpdateItemResponse response =
          dynamo.updateItem(
              UpdateItemRequest.builder()
                  .tableName(countersTable)
                  .key(key)
                  .updateExpression("ADD flags :one, requestIds :request SET expiresAt = :expires")
                  .conditionExpression(
                      "attribute_not_exists(requestIds) OR (NOT contains(requestIds, :requestId) AND size(requestIds) < :tracked)")
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":request", AttributeValue.fromSs(List.of(requestId)),
                          ":requestId", AttributeValue.fromS(requestId),
                          ":tracked", AttributeValue.fromN(Integer.toString(trackedRequests)),
                          ":expires", AttributeValue.fromN(expiresAt)))
                  .returnValues(ReturnValue.UPDATED_NEW)
                  .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                  .build());
      return Long.parseLong(response.attributes().get("flags").n());
    } catch (ConditionalCheckFailedException refused) {
      Map<String, AttributeValue> old = refused.item() == null ? Map.of() : refused.item();
      AttributeValue ids = old.get("requestIds");
      if (ids != null && ids.ss().contains(requestId)) {
        // A retry of a message already counted: the count as it stands.
        return old.containsKey("flags") ? Long.parseLong(old.get("flags").n()) : 0;
      }
      return countUntracked(key, expiresAt);
    }
  }

  /** Past {@link #TRACKED_REQUESTS}: counts the flag without remembering the request. */
  private long countUntracked(Map<String, AttributeValue> key, String expiresAt) {
    UpdateItemResponse response =
        dynamo.updateItem(
            UpdateItemRequest.builder()
                .tableName(countersTable)
                .key(key)
                .updateExpression("ADD flags :one SET expiresAt = :expires")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":expires", AttributeValue.fromN(expiresAt)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
    return Long.parseLong(response.attributes().get("flags").n());
  }

  @Override
  public int disableConsumer(String consumer) {
    int disabled = 0;
    Map<String, AttributeValue> start = null;
    do {
      var page =
          dynamo.scan(
              ScanRequest.builder()
                  .tableName(configTable)
                  .filterExpression("begins_with(pk, :keys) AND #consumer = :consumer")
                  .expressionAttributeNames(Map.of("#consumer", "consumer"))
                  .expressionAttributeValues(
                      Map.of(":keys", AttributeValue.fromS(ItemKeys.KEY_PREFIX), ":consumer", AttributeValue.fromS(consumer)))
                  .projectionExpression("pk, sk")
                  .exclusiveStartKey(start)
                  .build());
      for (Map<String, AttributeValue> item : page.items()) {
        try {
          dynamo.updateItem(
              UpdateItemRequest.builder()
                  .tableName(configTable)
                  .key(key(item.get(ItemKeys.PK).s(), item.get(ItemKeys.SK).s()))
                  .updateExpression("SET enabled = :false")
                  // The key may have been deleted since the scan, or moved to another consumer.
                  .conditionExpression("attribute_exists(pk) AND #consumer = :consumer")
                  .expressionAttributeNames(Map.of("#consumer", "consumer"))
                  .expressionAttributeValues(
                      Map.of(":false", AttributeValue.fromBool(false), ":consumer", AttributeValue.fromS(consumer)))
                  .build());
          disabled++;
        } catch (ConditionalCheckFailedException gone) {
          // nothing to disable
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return disabled;
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(ItemKeys.PK, AttributeValue.fromS(pk), ItemKeys.SK, AttributeValue.fromS(sk));
  }
}
