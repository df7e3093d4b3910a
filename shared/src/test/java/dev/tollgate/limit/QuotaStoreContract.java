package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QuotaStore} does, run against each implementation: windows and their
 * boundaries on a hand-moved clock, the sliding estimate, all-or-nothing reserves, settlement
 * below and above the estimate, release, duplicate settlement, and read().
 */
public abstract class QuotaStoreContract {

  static final Window MINUTE = Window.fixed(Duration.ofMinutes(1));
  static final Window SLIDING_MINUTE = Window.sliding(Duration.ofMinutes(1));
  static final CounterKey FREE_GPT = new CounterKey("tpm", "group=free|model=gpt-4o", MINUTE);

  protected final MutableClock clock = MutableClock.ahead(Duration.ofSeconds(30));
  private QuotaStore store;
  private int requests;

  /** A store with no counts yet. */
  protected abstract QuotaStore newStore();

  @BeforeEach
  void freshStore() {
    store = newStore();
  }

  private ReserveOutcome reserve(Draw... draws) {
    return store.reserve("req-" + ++requests, List.of(draws), clock.instant());
  }

  private Reservation admitted(Draw... draws) {
    return assertInstanceOf(ReserveOutcome.Admitted.class, reserve(draws)).reservation();
  }

  private ReserveOutcome.Rejected rejected(Draw... draws) {
    return assertInstanceOf(ReserveOutcome.Rejected.class, reserve(draws));
  }

  private long used(CounterKey key) {
    return used(key, clock.instant());
  }

  private long used(CounterKey key, Instant at) {
    return store.read(List.of(key), at).getFirst().used();
  }

  @Test
  void aFixedWindowAdmitsUpToItsLimitAndRefillsAtTheBoundary() {
    Reservation first = admitted(new Draw(FREE_GPT, 100, 60));
    admitted(new Draw(FREE_GPT, 100, 40));

    ReserveOutcome.Rejected full = rejected(new Draw(FREE_GPT, 100, 1));

    assertEquals(new Draw(FREE_GPT, 100, 1), full.draw());
    assertEquals(0, full.remaining());
    assertEquals(Duration.ofSeconds(30), full.retryAfter(), "until the minute ends");
    assertEquals(MutableClock.AHEAD, first.holds().getFirst().bucketStart());
    clock.advance(Duration.ofSeconds(29).plusMillis(999));
    rejected(new Draw(FREE_GPT, 100, 1));
    clock.advance(Duration.ofMillis(1));
    admitted(new Draw(FREE_GPT, 100, 100));
    assertEquals(100, used(FREE_GPT));
  }

  @Test
  void aRejectionReportsWhatIsLeft() {
    admitted(new Draw(FREE_GPT, 100, 70));

    ReserveOutcome.Rejected rejected = rejected(new Draw(FREE_GPT, 100, 31));

    assertEquals(30, rejected.remaining());
    assertEquals(70, used(FREE_GPT), "a rejected draw reserves nothing");
    admitted(new Draw(FREE_GPT, 100, 30));
  }

  @Test
  void aDrawLargerThanItsLimitNeverFits() {
    ReserveOutcome.Rejected rejected = rejected(new Draw(FREE_GPT, 100, 101));

    assertEquals(100, rejected.remaining());
    assertEquals(0, used(FREE_GPT));
  }

  @Test
  void aSlidingWindowCountsThePartOfThePreviousBucketStillInside() {
    CounterKey key = new CounterKey("tpm", "consumer=ann", SLIDING_MINUTE);
    clock.advance(Duration.ofSeconds(-20)); // 10:00:10
    admitted(new Draw(key, 100, 80));
    clock.advance(Duration.ofSeconds(65)); // 10:01:15: a quarter of the minute, 3/4 of 80 still inside

    assertEquals(60, used(key));
    ReserveOutcome.Rejected rejected = rejected(new Draw(key, 100, 41));
    assertEquals(40, rejected.remaining());
    // 41 fits once ceil(80 * inside / 60 s) <= 59: after 15.75 s of the minute, 0.75 s from now.
    assertEquals(Duration.ofMillis(750), rejected.retryAfter());
    admitted(new Draw(key, 100, 40));

    clock.advance(Duration.ofSeconds(30)); // 10:01:45: a quarter of 80 left inside, plus 40
    assertEquals(60, used(key));
    admitted(new Draw(key, 100, 40));
    rejected(new Draw(key, 100, 1));
  }

  @Test
  void aSlidingWindowForgetsBucketsOlderThanTheOneBefore() {
    CounterKey key = new CounterKey("tpm", "consumer=ann", SLIDING_MINUTE);
    admitted(new Draw(key, 100, 100));
    clock.advance(Duration.ofSeconds(30)); // 10:01:00, the whole previous bucket still inside

    ReserveOutcome.Rejected rejected = rejected(new Draw(key, 100, 1));
    assertEquals(Duration.ofMillis(600), rejected.retryAfter(), "1 fits once 99 of the 100 remain inside");

    clock.advance(Duration.ofMinutes(1)); // 10:02:00: the 10:00 bucket is two back
    assertEquals(0, used(key));
    admitted(new Draw(key, 100, 100));
  }

  @Test
  void severalDrawsAreReservedAllOrNothingAndTheRejectedOneIsNamed() {
    CounterKey perMinute = FREE_GPT;
    CounterKey perDay = new CounterKey("tpd", "group=free", Window.fixed(Duration.ofDays(1)));
    CounterKey sliding = new CounterKey("rpm", "consumer=ann", SLIDING_MINUTE);
    admitted(new Draw(perDay, 1_000, 990));

    ReserveOutcome.Rejected rejected =
        rejected(new Draw(perMinute, 100, 50), new Draw(perDay, 1_000, 50), new Draw(sliding, 10, 1));

    assertEquals(new Draw(perDay, 1_000, 50), rejected.draw());
    assertEquals(10, rejected.remaining());
    assertEquals(List.of(0L, 990L, 0L), store.read(List.of(perMinute, perDay, sliding), clock.instant()).stream().map(CounterState::used).toList());

    Reservation all = admitted(new Draw(perMinute, 100, 50), new Draw(perDay, 1_000, 10), new Draw(sliding, 10, 1));

    assertEquals(3, all.holds().size());
    assertEquals(List.of(50L, 1_000L, 1L), store.read(List.of(perMinute, perDay, sliding), clock.instant()).stream().map(CounterState::used).toList());
  }

  @Test
  void windowsOfOnePolicyAndScopeCountApart() {
    CounterKey minute = new CounterKey("tokens", "consumer=ann", MINUTE);
    CounterKey hour = new CounterKey("tokens", "consumer=ann", Window.fixed(Duration.ofHours(1)));
    clock.advance(Duration.ofSeconds(-30)); // 10:00:00, where both buckets start

    admitted(new Draw(minute, 100, 100), new Draw(hour, 1_000, 100));
    admitted(new Draw(hour, 1_000, 100));

    assertEquals(100, used(minute));
    assertEquals(200, used(hour));
  }

  @Test
  void settlingBelowTheEstimateGivesTheRestBack() {
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 80));

    store.settle(reservation, Map.of(FREE_GPT, 30L), clock.instant());

    assertEquals(30, used(FREE_GPT));
    admitted(new Draw(FREE_GPT, 100, 70));
  }

  @Test
  void settlingAboveTheEstimateChargesTheExcessEvenPastTheLimit() {
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 80));

    store.settle(reservation, Map.of(FREE_GPT, 130L), clock.instant());

    assertEquals(130, used(FREE_GPT));
    assertEquals(0, store.read(List.of(FREE_GPT), clock.instant()).getFirst().remaining(100));
    assertEquals(0, rejected(new Draw(FREE_GPT, 100, 0)).remaining());
  }

  @Test
  void aSettlementCorrectsTheBucketItWasReservedInAfterTheWindowMoved() {
    clock.advance(Duration.ofSeconds(25)); // 10:00:55
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 90));
    clock.advance(Duration.ofSeconds(10)); // 10:01:05, a new minute

    store.settle(reservation, Map.of(FREE_GPT, 20L), clock.instant());

    assertEquals(0, used(FREE_GPT));
    assertEquals(20, used(FREE_GPT, MutableClock.AHEAD.plusSeconds(59)));
  }

  @Test
  void releaseGivesEverythingBack() {
    CounterKey perDay = new CounterKey("tpd", "group=free", Window.fixed(Duration.ofDays(1)));
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 70), new Draw(perDay, 1_000, 70));

    store.release(reservation, clock.instant());

    assertEquals(0, used(FREE_GPT));
    assertEquals(0, used(perDay));
    admitted(new Draw(FREE_GPT, 100, 100));
  }

  @Test
  void aRepeatedSettlementIsCountedOnce() {
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 50));

    store.settle(reservation, Map.of(FREE_GPT, 20L), clock.instant());
    store.settle(reservation, Map.of(FREE_GPT, 20L), clock.instant());
    store.release(reservation, clock.instant());

    assertEquals(20, used(FREE_GPT));
  }

  @Test
  void aCounterLeftOutOfASettlementKeepsItsReservation() {
    CounterKey requests = new CounterKey("rpm", "consumer=ann", MINUTE);
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 50), new Draw(requests, 10, 1));

    store.settle(reservation, Map.of(FREE_GPT, 35L), clock.instant());

    assertEquals(35, used(FREE_GPT));
    assertEquals(1, used(requests));
  }

  @Test
  void readReportsUsageAndTheWindowOfEachKeyInOrder() {
    CounterKey sliding = new CounterKey("tpm", "consumer=ann", SLIDING_MINUTE);
    CounterKey untouched = new CounterKey("tpm", "consumer=bob", MINUTE);
    admitted(new Draw(FREE_GPT, 100, 42), new Draw(sliding, 100, 7));

    List<CounterState> states = store.read(List.of(untouched, FREE_GPT, sliding), clock.instant());

    Instant now = clock.instant();
    assertEquals(
        List.of(
            new CounterState(untouched, 0, MutableClock.AHEAD, MutableClock.AHEAD.plusSeconds(60)),
            new CounterState(FREE_GPT, 42, MutableClock.AHEAD, MutableClock.AHEAD.plusSeconds(60)),
            new CounterState(sliding, 7, now.minus(Duration.ofMinutes(1)), now)),
        states);
  }

  @Test
  void drawsOnOneCounterTwiceAndSettlementsOfUnheldCountersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> reserve(new Draw(FREE_GPT, 100, 1), new Draw(FREE_GPT, 100, 2)));
    assertThrows(IllegalArgumentException.class, () -> store.reserve("r", List.of(), clock.instant()));
    Reservation reservation = admitted(new Draw(FREE_GPT, 100, 10));
    CounterKey other = new CounterKey("tpm", "consumer=bob", MINUTE);

    assertThrows(IllegalArgumentException.class, () -> store.settle(reservation, Map.of(other, 1L), clock.instant()));
    assertThrows(IllegalArgumentException.class, () -> store.settle(reservation, Map.of(FREE_GPT, -1L), clock.instant()));
    assertEquals(10, used(FREE_GPT));
  }
}
