package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.moderation.ModerationOutcome;
import dev.tollgate.testing.AuditTable;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The flag counter's bound: each request counts once while tracked, and flags still count past the bound. */
class DynamoDbModerationStoreTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();
  private static final Instant WINDOW = MutableClock.AHEAD.truncatedTo(java.time.temporal.ChronoUnit.HOURS);

  private String prefix;
  private DynamoDbModerationStore store;

  @BeforeEach
  void tables() {
    prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    AuditTable.create(dynamo.client(), prefix + "audit");
    store = new DynamoDbModerationStore(dynamo.client(), prefix + "audit", prefix + TableSchemas.COUNTERS, prefix + TableSchemas.CONFIG, 2);
  }

  @Test
  void eachTrackedRequestCountsOnceAndFlagsPastTheBoundStillCount() {
    assertEquals(1, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r1"));
    assertEquals(1, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r1"), "a redelivery");
    assertEquals(2, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r2"));
    assertEquals(2, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r2"), "a redelivery");
    assertEquals(3, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r3"), "past the bound: counted, not tracked");
    assertEquals(4, store.countFlag("eve", WINDOW, Duration.ofHours(1), "r4"));

    var item = dynamo.client().getItem(GetItemRequest.builder().tableName(prefix + TableSchemas.COUNTERS)
        .key(Map.of("pk", AttributeValue.fromS(DynamoDbModerationStore.flagPk("eve", WINDOW)), "sk", AttributeValue.fromS("flags")))
        .build()).item();
    assertEquals(2, item.get("requestIds").ss().size());
    assertEquals(1, store.countFlag("eve", WINDOW.plus(Duration.ofHours(1)), Duration.ofHours(1), "r5"), "a new window");
  }

  @Test
  void anOutcomeIsWrittenOnlyOnAnExistingRecord() {
    var outcome = new ModerationOutcome("passed", "gr1", "1", "", "", WINDOW);
    assertFalse(store.recordOutcome("missing", outcome));
    assertTrue(AuditTable.record(dynamo.client(), prefix + "audit", "missing").isEmpty());
    AuditTable.putRecord(dynamo.client(), prefix + "audit", "there", "eve");
    assertTrue(store.recordOutcome("there", outcome));
    var moderation = AuditTable.record(dynamo.client(), prefix + "audit", "there").get("moderation").m();
    assertEquals("passed", moderation.get("action").s());
    assertFalse(moderation.containsKey("reason"), "no empty strings");
    assertEquals("eve", AuditTable.record(dynamo.client(), prefix + "audit", "there").get("consumer").s(), "the rest untouched");
  }
}
