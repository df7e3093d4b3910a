package dev.tollgate.aws;

import dev.tollgate.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.limit.QuotaStoreContract;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.Window;
import dev.tollgate.testing.DynamoDbLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The store contract for {@link DynamoDbQuotaStore} against DynamoDB Local, and the items it
 * leaves in the counters table (keys, counts, TTL, settlement markers) as documented.
 */
class DynamoDbQuotaStoreTest extends QuotaStoreContract {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private String table;

  @Override
  protected QuotaStore newStore() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.COUNTERS;
    return new DynamoDbQuotaStore(dynamo.client(), table);
  }

  private Map<String, AttributeValue> item(String pk, String sk) {
    return dynamo
        .client()
        .getItem(GetItemRequest.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))).build())
        .item();
  }

  @Test
  void countersAndSettlementMarkersAreTheDocumentedItems() {
    QuotaStore store = newStore();
    Instant now = MutableClock.AHEAD.plusSeconds(30);
    CounterKey fixed = new CounterKey("tpm", "group=free|model=gpt-4o", Window.fixed(Duration.ofMinutes(1)));
    CounterKey sliding = new CounterKey("tph", "consumer=ann", Window.sliding(Duration.ofHours(1)));
    Reservation reservation =
        assertInstanceOf(
                ReserveOutcome.Admitted.class,
                store.reserve("req-7", List.of(new Draw(fixed, 100, 40), new Draw(sliding, 1_000, 40)), now))
            .reservation();

    store.settle(reservation, Map.of(fixed, 25L, sliding, 25L), now.plusSeconds(5));

    long minute = MutableClock.AHEAD.getEpochSecond();
    long hour = MutableClock.AHEAD.getEpochSecond();
    Map<String, AttributeValue> fixedItem = item("ctr#tpm#group=free|model=gpt-4o", "fixed-60#" + minute);
    assertEquals("25", fixedItem.get("used").n());
    assertEquals(Long.toString(minute + 60 + 86_400), fixedItem.get(TableSchemas.TTL_ATTRIBUTE).n(), "window end + 1 day");
    Map<String, AttributeValue> slidingItem = item("ctr#tph#consumer=ann", "sliding-3600#" + hour);
    assertEquals("25", slidingItem.get("used").n());
    assertEquals(
        Long.toString(hour + 2 * 3600 + 86_400),
        slidingItem.get(TableSchemas.TTL_ATTRIBUTE).n(),
        "a sliding bucket is still read as the previous one for a window after its end");
    Map<String, AttributeValue> marker = item("settle#req-7", "settle");
    assertEquals(Long.toString(now.plusSeconds(5).plus(Duration.ofDays(2)).getEpochSecond()), marker.get(TableSchemas.TTL_ATTRIBUTE).n());
  }
}
