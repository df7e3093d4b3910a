package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.cache.CacheStoreException;
import dev.tollgate.cache.CachedAnswer;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The cache table against DynamoDB Local: its key and TTL, an entry stored and read back, and the gateway on it. */
class DynamoDbResponseCacheTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  // DynamoDB Local hides items whose TTL has passed: entries live in the future.
  private static final Instant NOW = MutableClock.AHEAD;

  private String table;
  private DynamoDbResponseCache cache;

  @BeforeEach
  void createTable() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.CACHE;
    cache = new DynamoDbResponseCache(dynamo.client(), table);
  }

  @Test
  void theTableExpiresItemsOnExpiresAt() {
    var ttl = dynamo.client().describeTimeToLive(DescribeTimeToLiveRequest.builder().tableName(table).build())
        .timeToLiveDescription();
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
    assertEquals(TableSchemas.TTL_ATTRIBUTE, ttl.attributeName());
  }

  @Test
  void anEntryIsStoredAndReadBackWhole() {
    CachedAnswer answer = new CachedAnswer("exact#abc", "{\"id\":\"x\",\"text\":\"é ✓\"}", NOW.plusMillis(123),
        NOW.plus(Duration.ofHours(1)));
    cache.put(answer);
    assertEquals(Optional.of(answer), cache.get("exact#abc"));
    assertEquals(Optional.empty(), cache.get("exact#other"));
  }

  @Test
  void aReplacedEntryReadsAsTheNewOne() {
    cache.put(new CachedAnswer("k", "old", NOW, NOW.plusSeconds(60)));
    cache.put(new CachedAnswer("k", "new", NOW.plusSeconds(1), NOW.plusSeconds(61)));
    assertEquals("new", cache.get("k").orElseThrow().body());
  }

  @Test
  void aMissingTableIsAStoreException() {
    DynamoDbResponseCache missing = new DynamoDbResponseCache(dynamo.client(), "no-such-table");
    assertThrows(CacheStoreException.class, () -> missing.get("k"));
    assertThrows(CacheStoreException.class, () -> missing.put(new CachedAnswer("k", "b", NOW, NOW.plusSeconds(1))));
  }

  @Test
  void theGatewayServesRepeatsFromTheTable() {
    var harness = GatewayHarness.withPorts(
        List.of(ConfigItems.scriptedTarget("gpt", "t1").build(),
            ConfigItems.item("cache#all", "cache").with("mode", "exact").build()),
        ports -> ports.withCacheStore(cache), MutableClock.ahead(Duration.ZERO));
    String body = "{\"model\":\"gpt\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    GatewayResponse first = harness.chat(body);
    GatewayResponse second = harness.chat(body);
    assertEquals("miss", first.header("x-tollgate-cache"));
    assertEquals("hit", second.header("x-tollgate-cache"));
    assertEquals(GatewayHarness.json(first).path("choices"), GatewayHarness.json(second).path("choices"));
    assertEquals(1, harness.provider().calls().size());
  }
}
