package dev.tollgate.aws;

import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.Race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.Window;
import dev.tollgate.testing.DynamoDbLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Accuracy under concurrency: 32 callers race on one counter through real SDK clients against
 * DynamoDB Local (one store, then three stores with their own clients, like three gateway
 * instances). Admissions never exceed the limit, and the stored count is exactly what the callers
 * were charged: no lost update, no double-counted settlement.
 */
class DynamoDbQuotaAccuracyTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private static final int CALLERS = 32;
  private static final int MAX_AMOUNT = 500;
  private static final Instant NOW = MutableClock.AHEAD.plusSeconds(30);

  private final List<DynamoDbClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(DynamoDbClient::close);
  }

  private DynamoDbClient newClient() {
    DynamoDbClient client = dynamo.serverClient();
    clients.add(client);
    return client;
  }

  /** Stores with their own SDK clients on one fresh counters table. */
  private List<QuotaStore> stores(int count) {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(newClient(), prefix);
    List<QuotaStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new DynamoDbQuotaStore(newClient(), prefix + TableSchemas.COUNTERS));
    }
    return stores;
  }

  @Test
  void racingReservesAdmitNoMoreThanTheLimit() throws Exception {
    QuotaStore store = stores(1).getFirst();
    CounterKey key = new CounterKey("tpm", "model=gpt-4o", Window.fixed(Duration.ofMinutes(1)));
    long limit = 40_000;
    AtomicLong admitted = new AtomicLong();
    AtomicLong stoppedByRejection = new AtomicLong();

    Race.run(
        CALLERS,
        caller -> {
          // Bounded, so a store that never rejects fails the test instead of hanging it.
          for (int n = 0; n < 200; n++) {
            long amount = ThreadLocalRandom.current().nextLong(1, MAX_AMOUNT + 1);
            if (store.reserve("c" + caller + "-" + n, List.of(new Draw(key, limit, amount)), NOW) instanceof ReserveOutcome.Admitted) {
              admitted.addAndGet(amount);
            } else {
              stoppedByRejection.incrementAndGet(); // the counter was too full for this amount
              return;
            }
          }
        });

    long used = store.read(List.of(key), NOW).getFirst().used();
    long overAdmission = Math.max(0, admitted.get() - limit);
    System.out.printf(
        "quota accuracy, one store: limit %d, admitted %d, over-admission %d, under-use %d%n",
        limit, admitted.get(), overAdmission, limit - admitted.get());
    assertEquals(admitted.get(), used, "the counter holds exactly what was admitted");
    assertEquals(0, overAdmission);
    assertEquals(CALLERS, stoppedByRejection.get());
    // Every caller stopped on a rejection, when less than its amount was left, and the rest only shrank.
    assertTrue(limit - admitted.get() < MAX_AMOUNT, "under-use below one request's amount");
  }

  @Test
  void threeInstancesReservingAndSettlingOverAndUnderNeverOverAdmit() throws Exception {
    List<QuotaStore> stores = stores(3);
    CounterKey tight = new CounterKey("tpm", "model=gpt-4o", Window.fixed(Duration.ofMinutes(1)));
    CounterKey sliding = new CounterKey("tph", "group=free", Window.sliding(Duration.ofHours(1)));
    long tightLimit = 15_000;
    long slidingLimit = 25_000;
    AtomicLong charged = new AtomicLong(); // what the counters should hold, both move together
    AtomicLong excess = new AtomicLong(); // usage settled above its reservation
    AtomicLong requests = new AtomicLong();

    Race.run(
        CALLERS,
        caller -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          int rejections = 0;
          for (int n = 0; n < 20 && rejections < 3; n++) {
            QuotaStore store = stores.get((caller + n) % 3);
            long amount = random.nextLong(1, MAX_AMOUNT + 1);
            ReserveOutcome outcome =
                store.reserve("c" + caller + "-" + n, List.of(new Draw(tight, tightLimit, amount), new Draw(sliding, slidingLimit, amount)), NOW);
            requests.incrementAndGet();
            if (!(outcome instanceof ReserveOutcome.Admitted(Reservation reservation, var usedAfter))) {
              rejections++;
              continue;
            }
            long actual =
                switch (random.nextInt(4)) {
                  case 0 -> 0; // upstream failed: released
                  case 1 -> random.nextLong(0, amount); // used less than estimated
                  case 2 -> amount + random.nextLong(1, amount + 1); // used more
                  default -> amount; // exactly the estimate: nothing to write
                };
            Map<CounterKey, Long> usage = Map.of(tight, actual, sliding, actual);
            store.settle(reservation, usage, NOW);
            // A retried settlement, through another instance: must change nothing.
            stores.get((caller + n + 1) % 3).settle(reservation, usage, NOW);
            charged.addAndGet(actual);
            excess.addAndGet(Math.max(0, actual - amount));
          }
        });

    List<Long> used = stores.getFirst().read(List.of(tight, sliding), NOW).stream().map(s -> s.used()).toList();
    // Admission keeps used + amount <= limit; only settlements above the estimate push past it.
    long overAdmission = Math.max(0, used.getFirst() - excess.get() - tightLimit);
    System.out.printf(
        "quota accuracy, three instances: %d requests, limit %d, used %d (of which %d settled above estimates),"
            + " over-admission %d, under-use %d%n",
        requests.get(), tightLimit, used.getFirst(), excess.get(), overAdmission, tightLimit - (used.getFirst() - excess.get()));
    assertEquals(List.of(charged.get(), charged.get()), used, "every reservation and settlement counted exactly once");
    assertEquals(0, overAdmission);
  }
}
