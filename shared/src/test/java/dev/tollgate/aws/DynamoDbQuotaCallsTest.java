package dev.tollgate.aws;

import dev.tollgate.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.Window;
import dev.tollgate.testing.DynamoDbLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB calls one request costs, counted by an SDK interceptor on a real client: on the
 * happy path a reserve and a settle are at most two writes, plus one read per sliding draw.
 */
class DynamoDbQuotaCallsTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private static final Instant NOW = MutableClock.AHEAD.plusSeconds(30);
  private static final CounterKey FIXED = new CounterKey("tpm", "model=gpt-4o", Window.fixed(Duration.ofMinutes(1)));
  private static final CounterKey DAILY = new CounterKey("tpd", "group=free", Window.fixed(Duration.ofDays(1)));
  private static final CounterKey SLIDING = new CounterKey("tph", "consumer=ann", Window.sliding(Duration.ofHours(1)));

  /** Counts the operations a client executes (SDK retries included as one). */
  private static final class CallCounter implements ExecutionInterceptor {
    private final Map<String, Integer> calls = new TreeMap<>();

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      calls.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
    }

    synchronized Map<String, Integer> takeCalls() {
      Map<String, Integer> taken = new TreeMap<>(calls);
      calls.clear();
      return taken;
    }
  }

  private final CallCounter counter = new CallCounter();
  private DynamoDbClient client;
  private QuotaStore store;

  @BeforeEach
  void countingStore() {
    String prefix = dynamo.freshPrefix();
    client = dynamo.serverClient(counter);
    TableSchemas.createAll(client, prefix);
    store = new DynamoDbQuotaStore(client, prefix + TableSchemas.COUNTERS);
    counter.takeCalls();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private Reservation admitted(String requestId, Draw... draws) {
    return assertInstanceOf(ReserveOutcome.Admitted.class, store.reserve(requestId, List.of(draws), NOW)).reservation();
  }

  @Test
  void oneFixedDrawIsOneConditionalUpdateThenOneSettlementTransaction() {
    Reservation reservation = admitted("r1", new Draw(FIXED, 1_000, 300));
    assertEquals(Map.of("UpdateItem", 1), counter.takeCalls());

    store.settle(reservation, Map.of(FIXED, 120L), NOW);
    assertEquals(Map.of("TransactWriteItems", 1), counter.takeCalls());
  }

  @Test
  void severalDrawsAreOneTransactionAndASlidingDrawAddsOneRead() {
    Reservation reservation =
        admitted("r1", new Draw(FIXED, 1_000, 300), new Draw(DAILY, 10_000, 300), new Draw(SLIDING, 5_000, 300));
    assertEquals(Map.of("GetItem", 1, "TransactWriteItems", 1), counter.takeCalls());

    store.settle(reservation, Map.of(FIXED, 450L, DAILY, 450L, SLIDING, 450L), NOW);
    assertEquals(Map.of("TransactWriteItems", 1), counter.takeCalls());
  }

  @Test
  void aSettlementThatChangesNothingWritesNothing() {
    Reservation reservation = admitted("r1", new Draw(FIXED, 1_000, 300), new Draw(DAILY, 10_000, 300));
    counter.takeCalls();

    store.settle(reservation, Map.of(FIXED, 300L, DAILY, 300L), NOW);

    assertEquals(Map.of(), counter.takeCalls());
  }

  @Test
  void aRepeatedSettlementCostsOneCancelledTransactionAndChangesNothing() {
    Reservation reservation = admitted("r1", new Draw(FIXED, 1_000, 300));
    store.settle(reservation, Map.of(FIXED, 100L), NOW);
    counter.takeCalls();

    store.settle(reservation, Map.of(FIXED, 100L), NOW);

    assertEquals(Map.of("TransactWriteItems", 1), counter.takeCalls());
    assertEquals(100, store.read(List.of(FIXED), NOW).getFirst().used());
  }

  @Test
  void aRejectionWritesNothingWhenTheDrawCannotFitAtAll() {
    assertInstanceOf(ReserveOutcome.Rejected.class, store.reserve("r1", List.of(new Draw(FIXED, 100, 101)), NOW));

    assertEquals(Map.of("GetItem", 1), counter.takeCalls(), "one read for the remaining count, no write");
  }

  @Test
  void readIsOneBatchForManyCounters() {
    store.read(List.of(FIXED, DAILY, SLIDING), NOW);

    assertEquals(Map.of("BatchGetItem", 1), counter.takeCalls());
  }
}
