package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reads every limit counter item of the counters table, as {@link DynamoDbQuotaStore} writes them,
 * for operator tools. A paginated Scan: fine for a person asking now and then, never for the
 * request path. Settlement markers and items of other shapes are skipped.
 */
public final class DynamoDbCounterReader {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Integer pageSize;

  public DynamoDbCounterReader(DynamoDbClient dynamo, String table) {
    this(dynamo, table, null);
  }

  /** With a small {@code pageSize}, for tests that need several pages. */
  DynamoDbCounterReader(DynamoDbClient dynamo, String table, Integer pageSize) {
    this.dynamo = dynamo;
    this.table = table;
    this.pageSize = pageSize;
  }

  /**
   * One counter bucket: {@code pk = ctr#<policy>#<scope>}, {@code sk = <window label>#<bucket
   * start>}, and its {@code used} count.
   */
  public record CounterItem(String pk, String sk, String policy, String scope, String windowLabel, Instant bucketStart, long used) {}

  /** Every counter item in the table, in no particular order. */
  public List<CounterItem> all() {
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(table)
            .filterExpression("begins_with(pk, :ctr)")
            .expressionAttributeValues(Map.of(":ctr", AttributeValue.fromS(DynamoDbQuotaStore.COUNTER_PREFIX)))
            .projectionExpression("pk, sk, #used")
            .expressionAttributeNames(Map.of("#used", DynamoDbQuotaStore.USED))
            .limit(pageSize)
            .build();
    List<CounterItem> items = new ArrayList<>();
    dynamo.scanPaginator(scan).items().forEach(item -> parse(item).ifPresent(items::add));
    return items;
  }

  /** The item as a counter, or empty when its keys do not have the counter layout. */
  static Optional<CounterItem> parse(Map<String, AttributeValue> item) {
    String pk = string(item, ItemKeys.PK);
    String sk = string(item, ItemKeys.SK);
    if (pk == null || sk == null || !pk.startsWith(DynamoDbQuotaStore.COUNTER_PREFIX)) {
      return Optional.empty();
    }
    // Policy names never hold '#'; a scope value may (a header value, say), so split at the first.
    String rest = pk.substring(DynamoDbQuotaStore.COUNTER_PREFIX.length());
    int policyEnd = rest.indexOf('#');
    int labelEnd = sk.lastIndexOf('#');
    if (policyEnd <= 0 || labelEnd <= 0) {
      return Optional.empty();
    }
    try {
      Instant bucketStart = Instant.ofEpochSecond(Long.parseLong(sk.substring(labelEnd + 1)));
      AttributeValue used = item.get(DynamoDbQuotaStore.USED);
      long count = used == null || used.n() == null ? 0 : Long.parseLong(used.n());
      return Optional.of(
          new CounterItem(pk, sk, rest.substring(0, policyEnd), rest.substring(policyEnd + 1), sk.substring(0, labelEnd), bucketStart, count));
    } catch (NumberFormatException | java.time.DateTimeException notACounter) {
      return Optional.empty();
    }
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }
}
