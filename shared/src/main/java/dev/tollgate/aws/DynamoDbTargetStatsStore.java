package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import dev.tollgate.routing.StatsDelta;
import dev.tollgate.routing.TargetStatsStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A {@link TargetStatsStore} on the counters table, beside the limit counters (whose keys start
 * with {@code ctr#}).
 *
 * <p>Sums: one item per one-minute bucket and target, {@code pk = stats#<bucket start, epoch
 * seconds>}, {@code sk = <alias>#<target id>}, numbers {@code calls errors rateLimited timeouts
 * latencyMsSum ttftMsSum ttftCount} grown by one {@code UpdateItem ... ADD} per target and merge,
 * so instances never overwrite each other, and {@code expiresAt} an hour after the bucket. Reading
 * a span is one Query per bucket (all targets of a minute share a partition).
 *
 * <p>Pauses: {@code pk = stats#pause}, {@code sk = <alias>#<target id>}, {@code until} (epoch
 * milliseconds) written under {@code attribute_not_exists(until) OR until < :until}: the latest
 * pause wins; {@code expiresAt} an hour after it ends. Read with one Query.
 */
public final class DynamoDbTargetStatsStore implements TargetStatsStore {

  static final String PREFIX = "stats#";
  static final String PAUSE_PK = PREFIX + "pause";
  static final String UNTIL = "until";
  private static final Duration KEEP = Duration.ofHours(1);
  private static final String[] FIELDS = {
    "calls", "errors", "rateLimited", "timeouts", "latencyMsSum", "ttftMsSum", "ttftCount"
  };

  private final DynamoDbClient dynamo;
  private final String table;

  /** @param table the counters table ({@code <prefix>counters}) */
  public DynamoDbTargetStatsStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String bucketPk(Instant bucket) {
    return PREFIX + bucket.getEpochSecond();
  }

  @Override
  public void add(Instant bucket, Map<String, StatsDelta> deltas) {
    String expires = Long.toString(bucket.plus(KEEP).getEpochSecond());
    deltas.forEach((target, delta) -> {
      long[] values = values(delta);
      Map<String, String> names = new HashMap<>();
      Map<String, AttributeValue> attributes = new HashMap<>();
      StringBuilder add = new StringBuilder("ADD ");
      for (int i = 0; i < FIELDS.length; i++) {
        names.put("#f" + i, FIELDS[i]);
        attributes.put(":v" + i, AttributeValue.fromN(Long.toString(values[i])));
        add.append(i == 0 ? "" : ", ").append("#f").append(i).append(" :v").append(i);
      }
      names.put("#exp", TableSchemas.TTL_ATTRIBUTE);
      attributes.put(":exp", AttributeValue.fromN(expires));
      dynamo.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key(bucketPk(bucket), target))
              .updateExpression(add + " SET #exp = :exp")
              .expressionAttributeNames(names)
              .expressionAttributeValues(attributes)
              .build());
    });
  }

  @Override
  public void pause(Map<String, Instant> untilByTarget) {
    untilByTarget.forEach((target, until) -> {
      try {
        dynamo.updateItem(
            UpdateItemRequest.builder()
                .tableName(table)
                .key(key(PAUSE_PK, target))
                .updateExpression("SET #u = :u, #exp = :exp")
                .conditionExpression("attribute_not_exists(#u) OR #u < :u")
                .expressionAttributeNames(Map.of("#u", UNTIL, "#exp", TableSchemas.TTL_ATTRIBUTE))
                .expressionAttributeValues(
                    Map.of(
                        ":u", AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                        ":exp", AttributeValue.fromN(Long.toString(until.plus(KEEP).getEpochSecond()))))
                .build());
      } catch (ConditionalCheckFailedException laterPauseStored) {
        // another instance paused the target for longer: keep that
      }
    });
  }

  @Override
  public ClusterView read(Instant firstBucket, Instant lastBucket, Instant now) {
    Map<String, StatsDelta> sums = new HashMap<>();
    for (Instant bucket = firstBucket; !bucket.isAfter(lastBucket); bucket = bucket.plus(Duration.ofMinutes(1))) {
      query(bucketPk(bucket)).forEach((target, item) -> sums.merge(target, delta(item), StatsDelta::plus));
    }
    Map<String, Instant> paused = new HashMap<>();
    query(PAUSE_PK).forEach((target, item) -> {
      AttributeValue until = item.get(UNTIL);
      if (until != null && until.n() != null) {
        Instant end = Instant.ofEpochMilli(Long.parseLong(until.n()));
        if (end.isAfter(now)) {
          paused.put(target, end);
        }
      }
    });
    return new ClusterView(sums, paused);
  }

  /** Every item of one partition, by sort key. */
  private Map<String, Map<String, AttributeValue>> query(String pk) {
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk")
            .expressionAttributeNames(Map.of("#pk", ItemKeys.PK))
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
            .build();
    Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    dynamo.queryPaginator(request).items().forEach(item -> items.put(item.get(ItemKeys.SK).s(), item));
    return items;
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(ItemKeys.PK, AttributeValue.fromS(pk), ItemKeys.SK, AttributeValue.fromS(sk));
  }

  private static long[] values(StatsDelta delta) {
    return new long[] {
      delta.calls(), delta.errors(), delta.rateLimited(), delta.timeouts(), delta.latencyMsSum(), delta.ttftMsSum(),
      delta.ttftCount()
    };
  }

  private static StatsDelta delta(Map<String, AttributeValue> item) {
    long[] v = new long[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      AttributeValue value = item.get(FIELDS[i]);
      v[i] = value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
    return new StatsDelta(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
  }
}
