package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The audit table against DynamoDB Local: its keys, index and TTL; a record stored and read back
 * field for field; the consumer index read newest first, in a time range, across pages; and a
 * record the table refuses written to the fallback log instead of being lost.
 */
class DynamoDbAuditSinkTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  // DynamoDB Local hides items whose TTL has passed: records live in the future.
  private static final Instant NOW = MutableClock.AHEAD;

  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final List<String> fallback = new ArrayList<>();
  private String table;
  private DynamoDbAuditSink sink;

  @BeforeEach
  void createTable() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.AUDIT;
    sink = new DynamoDbAuditSink(dynamo.client(), table, metrics, fallback::add);
  }

  static AuditRecord record(String requestId, String consumer, Instant at) {
    return new AuditRecord(
        requestId, at, "POST", "/v1/chat/completions", consumer, "team-a", "chat",
        List.of(new AuditRecord.AttemptEntry("a", "server error (HTTP 500)", 12), new AuditRecord.AttemptEntry("b", "ok", 340)),
        200, "ok", 1200, 80, new BigDecimal("0.0032"), 1.234, 210.5, 352.25, "off",
        List.of(new Verdict("limit", "a-budget", "skip", "target a: needed 10, 0 left")),
        null, "user: hi [EMAIL]", "hello", at.plus(Duration.ofDays(30)).getEpochSecond(), List.of());
  }

  @Test
  void theTableHasItsKeyItsConsumerIndexAndTtl() {
    TableDescription description = dynamo.client().describeTable(DescribeTableRequest.builder().tableName(table).build()).table();
    assertEquals(AuditItems.REQUEST_ID, description.keySchema().getFirst().attributeName());
    assertEquals(1, description.keySchema().size());
    assertEquals(TableSchemas.BY_CONSUMER, description.globalSecondaryIndexes().getFirst().indexName());
    assertEquals(
        List.of(AuditItems.CONSUMER, AuditItems.AT),
        description.globalSecondaryIndexes().getFirst().keySchema().stream().map(k -> k.attributeName()).toList());
    assertEquals(
        TimeToLiveStatus.ENABLED,
        dynamo.client().describeTimeToLive(DescribeTimeToLiveRequest.builder().tableName(table).build())
            .timeToLiveDescription().timeToLiveStatus());
  }

  @Test
  void aRecordIsStoredAsOneItemAndReadsBackTheSame() {
    AuditRecord record = record("req-1", "search", NOW);

    sink.write(record);

    Map<String, AttributeValue> item =
        dynamo.client().getItem(GetItemRequest.builder().tableName(table).key(Map.of("requestId", AttributeValue.fromS("req-1"))).build()).item();
    assertEquals(record, AuditItems.fromItem(item));
    assertEquals(Long.toString(record.expiresAt()), item.get("expiresAt").n(), "the TTL attribute in epoch seconds");
    assertEquals("0.0032", item.get("costUsd").n());
    assertEquals(List.of(), fallback);
    assertEquals(0, metrics.sum(MetricNames.AUDIT_FALLBACKS));
  }

  @Test
  void theSourcesOfAGroundedAnswerAreStoredWithoutTextAndReadBack() {
    AuditRecord plain = record("req-rag", "search", NOW);
    List<dev.tollgate.rag.Citation> sources = List.of(
        new dev.tollgate.rag.Citation(1, "handbook", "handbook/refunds.md", "handbook/refunds.md#2", 2, 0.8234567),
        new dev.tollgate.rag.Citation(2, "handbook", "handbook/shipping.md", "c-77", 0, 0.61));
    AuditRecord grounded = new AuditRecord(plain.requestId(), plain.at(), plain.method(), plain.path(), plain.consumer(),
        plain.group(), plain.alias(), plain.attempts(), plain.status(), plain.outcome(), plain.tokensIn(), plain.tokensOut(),
        plain.costUsd(), plain.overheadMs(), plain.ttftMs(), plain.upstreamMs(), plain.cache(), plain.verdicts(),
        plain.moderation(), plain.prompt(), plain.response(), plain.expiresAt(), sources);

    sink.write(grounded);

    Map<String, AttributeValue> item =
        dynamo.client().getItem(GetItemRequest.builder().tableName(table).key(Map.of("requestId", AttributeValue.fromS("req-rag"))).build()).item();
    assertEquals("0.823457", item.get("sources").l().get(0).m().get("score").n(), "a plain decimal");
    assertEquals(Set.of("n", "kb", "documentId", "chunkId", "position", "score"), item.get("sources").l().get(0).m().keySet());
    List<dev.tollgate.rag.Citation> back = AuditItems.fromItem(item).sources();
    assertEquals(sources.get(1), back.get(1));
    assertEquals(0.823457, back.get(0).score());
  }

  @Test
  void aRecordWithoutCostTtftOrPayloadsLeavesThoseAttributesOut() {
    AuditRecord bare =
        new AuditRecord("req-401", NOW, "POST", "/v1/chat/completions", null, null, null, List.of(), 401, "error 401", 0, 0,
            null, 0.5, null, 0, "off", List.of(), null, null, null, NOW.plus(Duration.ofDays(30)).getEpochSecond(), List.of());

    sink.write(bare);

    Map<String, AttributeValue> item =
        dynamo.client().getItem(GetItemRequest.builder().tableName(table).key(Map.of("requestId", AttributeValue.fromS("req-401"))).build()).item();
    assertEquals(AuditRecord.NO_CONSUMER, item.get("consumer").s(), "unauthenticated requests are queryable too");
    assertTrue(!item.containsKey("costUsd") && !item.containsKey("ttftMs") && !item.containsKey("prompt"), item.toString());
    AuditRecord back = AuditItems.fromItem(item);
    assertEquals(bare, back);
    assertNull(back.costUsd());
  }

  @Test
  void theConsumerIndexReadsNewestFirstInTheRangeAcrossPages() {
    for (int i = 0; i < 7; i++) {
      sink.write(record("req-" + i, "search", NOW.plus(Duration.ofMinutes(i))));
    }
    sink.write(record("req-other", "billing", NOW.plus(Duration.ofMinutes(3))));
    DynamoDbAuditReader reader = new DynamoDbAuditReader(dynamo.client(), table, 2);

    List<AuditRecord> all = reader.byConsumer("search", NOW, NOW.plus(Duration.ofHours(1)), 100);
    List<AuditRecord> window = reader.byConsumer("search", NOW.plus(Duration.ofMinutes(2)), NOW.plus(Duration.ofMinutes(4)), 100);
    List<AuditRecord> limited = reader.byConsumer("search", NOW, NOW.plus(Duration.ofHours(1)), 3);

    assertEquals(List.of("req-6", "req-5", "req-4", "req-3", "req-2", "req-1", "req-0"), ids(all));
    assertEquals(List.of("req-4", "req-3", "req-2"), ids(window));
    assertEquals(List.of("req-6", "req-5", "req-4"), ids(limited));
  }

  @Test
  void aRecordTheTableRefusesIsLoggedWholeInsteadOfLost() {
    DynamoDbAuditSink missing = new DynamoDbAuditSink(dynamo.client(), table + "-missing", metrics, fallback::add);

    missing.write(record("req-lost", "search", NOW));

    assertEquals(1, fallback.size());
    String line = fallback.getFirst();
    assertTrue(line.startsWith("{") && !line.contains("\n"), "one JSON line: " + line);
    assertTrue(line.contains("\"auditFallback\":true") && line.contains("\"requestId\":\"req-lost\""), line);
    assertTrue(line.contains("ResourceNotFoundException") && line.contains("after 1 attempt"), "not retried: " + line);
    assertEquals(1, metrics.sum(MetricNames.AUDIT_FALLBACKS));
  }

  private static List<String> ids(List<AuditRecord> records) {
    return records.stream().map(AuditRecord::requestId).toList();
  }
}
