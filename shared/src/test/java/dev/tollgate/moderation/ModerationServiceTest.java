package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.DynamoDbModerationStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.testing.AuditTable;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.FakeGuardrailServer;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Output moderation against DynamoDB Local and a loopback ApplyGuardrail: the verdict lands in
 * the audit record (and waits for it), flags are counted once per request in their window, and a
 * consumer is disabled when the count reaches {@code disableAfterFlags}.
 */
class ModerationServiceTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();
  private static FakeGuardrailServer fake;

  private final MutableClock clock = MutableClock.ahead(Duration.ofMinutes(5));
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private String prefix;
  private ModerationService service;

  @BeforeAll
  static void startFake() {
    fake = FakeGuardrailServer.start("forbidden");
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  @BeforeEach
  void tables() {
    prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    AuditTable.create(dynamo.client(), prefix + "audit");
    var store = new DynamoDbModerationStore(dynamo.client(), prefix + "audit", prefix + TableSchemas.COUNTERS, prefix + TableSchemas.CONFIG);
    var guardrail = new BedrockGuardrail(AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(fake.endpoint())));
    service = new ModerationService(guardrail, store, metrics, clock);
  }

  private ModerationMessage message(String requestId, String consumer, String text, int disableAfterFlags) {
    return new ModerationMessage(requestId, consumer, "default", "chat", text, "gr1test", "DRAFT", disableAfterFlags, 3600,
        clock.instant());
  }

  private Map<String, AttributeValue> moderation(String requestId) {
    return AuditTable.record(dynamo.client(), prefix + "audit", requestId).get("moderation").m();
  }

  @Test
  void aPassedAnswerIsRecordedInItsAuditRecord() throws Exception {
    AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-1", "alice");

    assertEquals(ModerationService.Result.PASSED, service.moderate(message("req-1", "alice", "a kind answer", 0)));

    Map<String, AttributeValue> verdict = moderation("req-1");
    assertEquals("passed", verdict.get("action").s());
    assertEquals("gr1test", verdict.get("guardrailId").s());
    assertEquals("DRAFT", verdict.get("guardrailVersion").s());
    assertEquals(clock.instant().toString(), verdict.get("at").s());
    assertEquals("OUTPUT", fake.calls().getLast().source());
    assertEquals(1, metrics.sum(ModerationMetrics.MODERATION_PASSED));
  }

  @Test
  void aFlaggedAnswerIsRecordedWithTheGuardrailsReasonAndNotTheAnswer() throws Exception {
    AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-1", "alice");

    assertEquals(ModerationService.Result.FLAGGED, service.moderate(message("req-1", "alice", "the forbidden answer", 0)));

    Map<String, AttributeValue> verdict = moderation("req-1");
    assertEquals("flagged", verdict.get("action").s());
    assertEquals(FakeGuardrailServer.BLOCKED_MESSAGE, verdict.get("reason").s());
    assertEquals("topicPolicy:Forbidden", verdict.get("policies").s());
    assertFalse(verdict.toString().contains("forbidden answer"));
  }

  @Test
  void aMissingAuditRecordIsRetriedAndWritesNothing() throws Exception {
    ModerationMessage message = message("req-late", "alice", "the forbidden answer", 1);
    putKey("alice");

    assertThrows(ModerationRetryException.class, () -> service.moderate(message));
    assertTrue(AuditTable.record(dynamo.client(), prefix + "audit", "req-late").isEmpty(), "no record made up");
    assertTrue(consumerEnabled("alice"), "nothing counted before the verdict is recorded");

    AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-late", "alice");
    assertEquals(ModerationService.Result.FLAGGED_AND_DISABLED, service.moderate(message));
    assertEquals("flagged", moderation("req-late").get("action").s());
  }

  @Test
  void anUnreachableGuardrailIsRetried() {
    fake.failWith(500);
    try {
      AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-1", "alice");
      assertThrows(ModerationRetryException.class, () -> service.moderate(message("req-1", "alice", "hello", 0)));
      assertEquals("pending", AuditTable.record(dynamo.client(), prefix + "audit", "req-1").get("moderation").s());
    } finally {
      fake.failWith(0);
    }
  }

  @Test
  void theConsumerIsDisabledWhenItsFlagsReachTheLimitInTheWindow() throws Exception {
    String[] aliceKeys = {putKey("alice"), putKey("alice")};
    String bobKey = putKey("bob");
    for (int i = 1; i <= 3; i++) {
      AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-" + i, "alice");
    }

    assertEquals(ModerationService.Result.FLAGGED, service.moderate(message("req-1", "alice", "forbidden one", 3)));
    // The same message again (SQS delivers at least once): counted once.
    assertEquals(ModerationService.Result.FLAGGED, service.moderate(message("req-1", "alice", "forbidden one", 3)));
    assertEquals(ModerationService.Result.PASSED, service.moderate(message("req-2", "alice", "harmless", 3)));
    assertEquals(ModerationService.Result.FLAGGED, service.moderate(message("req-2", "alice", "forbidden two", 3)));
    assertTrue(consumerEnabled("alice"));
    assertEquals(ModerationService.Result.FLAGGED_AND_DISABLED, service.moderate(message("req-3", "alice", "forbidden three", 3)));

    for (String key : aliceKeys) {
      assertFalse(keyEnabled(key), "every key of alice is off");
    }
    assertTrue(keyEnabled(bobKey), "bob's key is untouched");
    assertEquals(1, metrics.sum(ModerationMetrics.CONSUMERS_DISABLED));
    var counter = counter("alice", clock.instant());
    assertEquals("3", counter.get("flags").n());
    assertEquals(3, counter.get("requestIds").ss().size());
    long windowEnd = ModerationService.windowStart(clock.instant(), Duration.ofHours(1)).plus(Duration.ofHours(1)).getEpochSecond();
    assertEquals(windowEnd + 86_400, Long.parseLong(counter.get("expiresAt").n()), "TTL: a day after the window");
    // The gateway refuses the disabled keys from its next config load.
    var config = new ConfigValidator(new ProviderRegistry().register(new MockProvider(clock)))
        .validate(new DynamoDbConfigSource(dynamo.client(), prefix + TableSchemas.CONFIG).load(), Instant.EPOCH).config();
    assertFalse(config.consumerByKeyHash(aliceKeys[0]).orElseThrow().enabled());
  }

  @Test
  void flagsInAnEarlierWindowDoNotCount() throws Exception {
    putKey("carol");
    AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-1", "carol");
    AuditTable.putRecord(dynamo.client(), prefix + "audit", "req-2", "carol");
    service.moderate(message("req-1", "carol", "forbidden", 2));
    clock.advance(Duration.ofHours(1));

    assertEquals(ModerationService.Result.FLAGGED, service.moderate(message("req-2", "carol", "forbidden", 2)));
    assertTrue(consumerEnabled("carol"));
  }

  private String putKey(String consumer) {
    String hash = ApiKeys.hash(ApiKeys.generate());
    ConfigItem key = ConfigItems.key(hash).with("consumer", consumer).with("models", List.of("*")).build();
    new DynamoDbConfigWriter(dynamo.client(), prefix + TableSchemas.CONFIG).apply(List.of(key), false);
    return hash;
  }

  private boolean keyEnabled(String hash) {
    var item = dynamo.client().getItem(GetItemRequest.builder().tableName(prefix + TableSchemas.CONFIG)
        .key(Map.of("pk", AttributeValue.fromS("key#" + hash), "sk", AttributeValue.fromS("key"))).build()).item();
    return item.get("enabled") == null || item.get("enabled").bool();
  }

  private boolean consumerEnabled(String consumer) {
    return new DynamoDbConfigSource(dynamo.client(), prefix + TableSchemas.CONFIG).load().stream()
        .filter(i -> consumer.equals(i.attributes().path("consumer").asText()))
        .allMatch(i -> i.attributes().path("enabled").asBoolean(true));
  }

  private Map<String, AttributeValue> counter(String consumer, Instant at) {
    Instant start = ModerationService.windowStart(at, Duration.ofHours(1));
    return dynamo.client().getItem(GetItemRequest.builder().tableName(prefix + TableSchemas.COUNTERS)
        .key(Map.of("pk", AttributeValue.fromS(DynamoDbModerationStore.flagPk(consumer, start)), "sk", AttributeValue.fromS("flags")))
        .build()).item();
  }
}
