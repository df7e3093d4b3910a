package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.aws.DynamoDbCounterReader.CounterItem;
import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.Window;
import dev.tollgate.testing.DynamoDbLocal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** {@link DynamoDbCounterReader} reads back exactly the counter items {@link DynamoDbQuotaStore} writes. */
class DynamoDbCounterReaderTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  /** Tomorrow, 10:00:30: DynamoDB Local deletes items whose TTL has passed, within seconds. */
  private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
  private static final Instant NOW = DAY.plus(Duration.ofSeconds(10 * 3600 + 30));

  @Test
  void readsEveryCounterAcrossPagesAndSkipsSettlementMarkersAndOtherItems() {
    String table = dynamo.freshPrefix() + TableSchemas.COUNTERS;
    TableSchemas.create(dynamo.client(), table, true);
    DynamoDbQuotaStore store = new DynamoDbQuotaStore(dynamo.client(), table);
    CounterKey perConsumer = new CounterKey("tpm", "consumer=alice|header:x-tenant=a#b", Window.fixed(Duration.ofMinutes(1)));
    CounterKey global = new CounterKey("daily", "*", Window.sliding(Duration.ofDays(1)));
    Reservation reservation =
        assertInstanceOf(
                ReserveOutcome.Admitted.class,
                store.reserve("req-1", List.of(new Draw(perConsumer, 1_000, 300), new Draw(global, 5_000, 300)), NOW))
            .reservation();
    store.settle(reservation, Map.of(perConsumer, 120L, global, 250L), NOW);
    dynamo.client().putItem(PutItemRequest.builder().tableName(table)
        .item(Map.of("pk", AttributeValue.fromS("ctr#broken"), "sk", AttributeValue.fromS("fixed-60#x"))).build());

    List<CounterItem> items =
        new DynamoDbCounterReader(dynamo.client(), table, 1).all().stream()
            .sorted(Comparator.comparing(CounterItem::policy))
            .toList();

    long minute = NOW.minusSeconds(30).getEpochSecond();
    long day = DAY.getEpochSecond();
    assertEquals(
        List.of(
            new CounterItem("ctr#daily#*", "sliding-86400#" + day, "daily", "*", "sliding-86400", Instant.ofEpochSecond(day), 250),
            new CounterItem(
                "ctr#tpm#consumer=alice|header:x-tenant=a#b", "fixed-60#" + minute,
                "tpm", "consumer=alice|header:x-tenant=a#b", "fixed-60", Instant.ofEpochSecond(minute), 120)),
        items);
  }

  @Test
  void anEmptyTableHasNoCounters() {
    String table = dynamo.freshPrefix() + TableSchemas.COUNTERS;
    TableSchemas.create(dynamo.client(), table, true);
    assertTrue(new DynamoDbCounterReader(dynamo.client(), table).all().isEmpty());
  }
}
