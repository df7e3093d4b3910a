package dev.tollgate.aws;

import dev.tollgate.config.ItemKeys;
import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.CounterState;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.limit.QuotaStoreException;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.Window;
import dev.tollgate.limit.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A {@link QuotaStore} on the counters table: exact across every instance sharing the table.
 *
 * <p>Items: one per counter and bucket, {@code pk = ctr#<policy>#<scope>}, {@code sk =
 * <window label>#<bucket start, epoch seconds>} (the label, e.g. {@code fixed-60}, keeps a
 * policy's windows of different lengths apart), a number {@code used}, and {@code expiresAt}: the
 * bucket end plus a day, and for sliding windows one window later still, since the bucket counts
 * as the previous one for that long. TTL only tidies; an expired item that lingers is never read.
 *
 * <p>Reserve: per draw, the highest current count at which it still fits is computed first
 * ({@link WindowUsage#threshold}; DynamoDB conditions cannot do arithmetic), then the count is
 * added under {@code attribute_not_exists(used) OR used <= :threshold}. One draw is one
 * conditional {@code UpdateItem}; several are one {@code TransactWriteItems}, whose cancellation
 * reasons name the draw that did not fit. A draw that cannot fit even in an empty bucket is
 * rejected without a write. A rejection costs one more read, for the remaining count.
 *
 * <p>Sliding windows use the two-bucket weighted estimate: {@code current + ceil(previous * w)},
 * where {@code w} is the part of the previous bucket still inside the window. The previous bucket
 * is read first (a strongly consistent {@code GetItem}; it changes only by late settlements), and
 * its share is folded into the threshold, so the add on the current bucket stays one atomic
 * condition. The estimate assumes the previous bucket's traffic was spread evenly: traffic that
 * came late in it is undercounted, so a true sliding interval can hold up to twice the limit in the
 * worst case (each fixed bucket still holds at most the limit); traffic that came early is
 * overcounted, so fewer requests are admitted than a precise log would. See {@link WindowUsage}.
 * A rejection's retry-after is the time until enough of the previous bucket has slid out,
 * assuming nothing else is used meanwhile (not merely the window end).
 *
 * <p>Settle: one {@code TransactWriteItems} adding {@code actual - reserved} to each counter whose
 * amount changed, with a {@code Put} of a marker {@code settle#<requestId>} under {@code
 * attribute_not_exists(pk)}: a repeated settlement is cancelled by its marker and changes
 * nothing. Nothing changed, nothing written. A single draw's add returns the new count
 * ({@code UPDATED_NEW}), so its admission reports the usage for rate-limit headers without a read;
 * a transaction returns none. So the happy path is at most two writes per request:
 * reserve and settle (plus a read per sliding draw).
 *
 * <p>Transactions that collide with another in flight on the same item are retried a few times
 * with jitter; other failures surface as {@link QuotaStoreException}. An SDK retry of a reserve
 * whose first attempt did land counts it twice: that errs on the side of under-use, never over.
 */
public final class DynamoDbQuotaStore implements QuotaStore {

  static final String USED = "used";
  static final String COUNTER_PREFIX = "ctr#";
  static final String SETTLE_PREFIX = "settle#";
  static final String SETTLE_SK = "settle";
  private static final Duration COUNTER_KEPT = Duration.ofDays(1);
  private static final Duration SETTLED_KEPT = Duration.ofDays(2);
  private static final int CONFLICT_ATTEMPTS = 6;
  private static final int BATCH_GET_LIMIT = 100;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbQuotaStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** One draw ready to write: its bucket, the previous bucket's count, and its threshold. */
  private record Planned(Draw draw, WindowUsage known, long threshold) {

    Reservation.Hold hold() {
      return new Reservation.Hold(draw.counter(), known.bucketStart(), draw.amount());
    }
  }

  @Override
  public ReserveOutcome reserve(String requestId, List<Draw> draws, Instant now) {
    List<Planned> plan = new ArrayList<>();
    for (Draw draw : QuotaStore.checked(draws)) {
      long previous = draw.counter().window().kind() == Window.Kind.SLIDING ? previousCount(draw.counter(), now) : 0;
      WindowUsage known = new WindowUsage(draw.counter().window(), now, previous, 0);
      long threshold = known.threshold(draw.limit(), draw.amount());
      if (threshold < 0) {
        return rejected(draw, known);
      }
      plan.add(new Planned(draw, known, threshold));
    }
    Map<CounterKey, Long> usedAfter = new HashMap<>();
    int failed = plan.size() == 1 ? addOne(plan.getFirst(), usedAfter) : addAll(plan);
    if (failed >= 0) {
      return rejected(plan.get(failed).draw(), plan.get(failed).known());
    }
    return new ReserveOutcome.Admitted(new Reservation(requestId, plan.stream().map(Planned::hold).toList()), usedAfter);
  }

  @Override
  public void settle(Reservation reservation, Map<CounterKey, Long> actual, Instant now) {
    Map<Reservation.Hold, Long> corrections = reservation.corrections(actual);
    if (corrections.isEmpty()) {
      return;
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    corrections.forEach((hold, delta) -> writes.add(TransactWriteItem.builder().update(correction(hold, delta)).build()));
    writes.add(TransactWriteItem.builder().put(marker(reservation.requestId(), now)).build());
    int markerIndex = writes.size() - 1;
    // A cancellation by the marker's condition means an earlier settlement already landed.
    transact(writes, "settle " + reservation.requestId(), markerIndex);
  }

  @Override
  public List<CounterState> read(List<CounterKey> keys, Instant now) {
    List<Map<String, AttributeValue>> wanted = new ArrayList<>();
    for (CounterKey key : keys) {
      Instant start = key.window().bucketStart(now);
      wanted.add(itemKey(key, start));
      if (key.window().kind() == Window.Kind.SLIDING) {
        wanted.add(itemKey(key, start.minus(key.window().length())));
      }
    }
    Map<String, Long> counts = batchCounts(wanted.stream().distinct().toList());
    return keys.stream()
        .map(
            key -> {
              Instant start = key.window().bucketStart(now);
              long current = counts.getOrDefault(id(itemKey(key, start)), 0L);
              long previous = counts.getOrDefault(id(itemKey(key, start.minus(key.window().length()))), 0L);
              long used = new WindowUsage(key.window(), now, previous, current).used();
              return new CounterState(key, used, key.window().start(now), key.window().end(now));
            })
        .toList();
  }

  /**
   * The conditional add for one draw; the index of the draw that did not fit, or -1. The new
   * count comes back with the write, so the window's usage goes into {@code usedAfter} for free.
   */
  private int addOne(Planned planned, Map<CounterKey, Long> usedAfter) {
    for (int attempt = 1; ; attempt++) {
      try {
        Map<String, AttributeValue> updated =
            dynamo
                .updateItem(
                    UpdateItemRequest.builder()
                        .tableName(table)
                        .key(itemKey(planned.draw().counter(), planned.known().bucketStart()))
                        .updateExpression(ADD)
                        .conditionExpression(CONDITION)
                        .expressionAttributeValues(addValues(planned))
                        .returnValues(ReturnValue.UPDATED_NEW)
                        .build())
                .attributes();
        WindowUsage known = planned.known();
        usedAfter.put(
            planned.draw().counter(),
            new WindowUsage(known.window(), known.now(), known.previous(), used(updated)).used());
        return -1;
      } catch (ConditionalCheckFailedException full) {
        return 0;
      } catch (TransactionConflictException conflict) {
        backOff(attempt, "reserve", conflict);
      } catch (SdkException e) {
        throw new QuotaStoreException("reserve failed: " + e.getMessage(), e);
      }
    }
  }

  /** The conditional adds for several draws in one transaction; the index that failed, or -1. */
  private int addAll(List<Planned> plan) {
    List<TransactWriteItem> writes = new ArrayList<>();
    for (Planned planned : plan) {
      writes.add(
          TransactWriteItem.builder()
              .update(
                  Update.builder()
                      .tableName(table)
                      .key(itemKey(planned.draw().counter(), planned.known().bucketStart()))
                      .updateExpression(ADD)
                      .conditionExpression(CONDITION)
                      .expressionAttributeValues(addValues(planned))
                      .build())
              .build());
    }
    return transact(writes, "reserve", -1);
  }

  private static final String CONDITION = "attribute_not_exists(used) OR used <= :threshold";
  private static final String ADD = "ADD used :amount SET expiresAt = :expires";

  private static Map<String, AttributeValue> addValues(Planned planned) {
    return Map.of(
        ":amount", number(planned.draw().amount()),
        ":threshold", number(planned.threshold()),
        ":expires", number(expiresAt(planned.draw().counter().window(), planned.known().bucketStart())));
  }

  private Update correction(Reservation.Hold hold, long delta) {
    return Update.builder()
        .tableName(table)
        .key(itemKey(hold.counter(), hold.bucketStart()))
        .updateExpression("ADD used :delta SET expiresAt = :expires")
        .expressionAttributeValues(
            Map.of(
                ":delta", number(delta),
                ":expires", number(expiresAt(hold.counter().window(), hold.bucketStart()))))
        .build();
  }

  private Put marker(String requestId, Instant now) {
    return Put.builder()
        .tableName(table)
        .item(
            Map.of(
                ItemKeys.PK, AttributeValue.fromS(SETTLE_PREFIX + requestId),
                ItemKeys.SK, AttributeValue.fromS(SETTLE_SK),
                TableSchemas.TTL_ATTRIBUTE, number(now.plus(SETTLED_KEPT).getEpochSecond())))
        .conditionExpression("attribute_not_exists(pk)")
        .build();
  }

  /**
   * Runs a transaction, retrying collisions with other transactions. Returns the index of the
   * write whose condition failed, or -1 when it committed; a failure at {@code benignIndex} is
   * reported as -1 too.
   */
  private int transact(List<TransactWriteItem> writes, String what, int benignIndex) {
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build());
        return -1;
      } catch (TransactionCanceledException cancelled) {
        List<CancellationReason> reasons = cancelled.cancellationReasons();
        int failed = indexOf(reasons, "ConditionalCheckFailed");
        if (failed >= 0) {
          return failed == benignIndex ? -1 : failed;
        }
        if (indexOf(reasons, "TransactionConflict") < 0) {
          throw new QuotaStoreException(what + " cancelled: " + codes(reasons), cancelled);
        }
        backOff(attempt, what, cancelled);
      } catch (TransactionConflictException conflict) {
        backOff(attempt, what, conflict);
      } catch (SdkException e) {
        throw new QuotaStoreException(what + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static void backOff(int attempt, String what, SdkException cause) {
    if (attempt >= CONFLICT_ATTEMPTS) {
      throw new QuotaStoreException(what + " kept colliding with other transactions", cause);
    }
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + (4L << attempt)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuotaStoreException(what + " interrupted", cause);
    }
  }

  private static int indexOf(List<CancellationReason> reasons, String code) {
    for (int i = 0; i < reasons.size(); i++) {
      if (code.equals(reasons.get(i).code())) {
        return i;
      }
    }
    return -1;
  }

  private static String codes(List<CancellationReason> reasons) {
    return reasons.stream().map(CancellationReason::code).toList().toString();
  }

  private ReserveOutcome.Rejected rejected(Draw draw, WindowUsage known) {
    long current = count(itemKey(draw.counter(), known.bucketStart()));
    WindowUsage usage = new WindowUsage(draw.counter().window(), known.now(), known.previous(), current);
    return new ReserveOutcome.Rejected(draw, usage.remaining(draw.limit()), usage.retryAfter(draw.limit(), draw.amount()));
  }

  private long previousCount(CounterKey counter, Instant now) {
    Instant start = counter.window().bucketStart(now);
    return count(itemKey(counter, start.minus(counter.window().length())));
  }

  private long count(Map<String, AttributeValue> key) {
    try {
      Map<String, AttributeValue> item =
          dynamo
              .getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).projectionExpression(USED).build())
              .item();
      return used(item);
    } catch (SdkException e) {
      throw new QuotaStoreException("reading a counter failed: " + e.getMessage(), e);
    }
  }

  /** Counts by item id for the given keys, in batches; missing items count zero. */
  private Map<String, Long> batchCounts(List<Map<String, AttributeValue>> keys) {
    Map<String, Long> counts = new HashMap<>();
    try {
      for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
        Map<String, KeysAndAttributes> pending =
            Map.of(
                table,
                KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT)))
                    .consistentRead(true)
                    .build());
        for (int round = 1; !pending.isEmpty(); round++) {
          if (round > CONFLICT_ATTEMPTS) {
            throw new QuotaStoreException("reading counters: keys kept coming back unprocessed", null);
          }
          BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
          response.responses().getOrDefault(table, List.of()).forEach(item -> counts.put(id(item), used(item)));
          pending = response.unprocessedKeys();
        }
      }
    } catch (SdkException e) {
      throw new QuotaStoreException("reading counters failed: " + e.getMessage(), e);
    }
    return counts;
  }

  static Map<String, AttributeValue> itemKey(CounterKey counter, Instant bucketStart) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    key.put(ItemKeys.PK, AttributeValue.fromS(COUNTER_PREFIX + counter.policy() + "#" + counter.scope()));
    key.put(ItemKeys.SK, AttributeValue.fromS(counter.window().label() + "#" + bucketStart.getEpochSecond()));
    return key;
  }

  private static String id(Map<String, AttributeValue> item) {
    return item.get(ItemKeys.PK).s() + "\u0000" + item.get(ItemKeys.SK).s();
  }

  private static long used(Map<String, AttributeValue> item) {
    AttributeValue used = item == null ? null : item.get(USED);
    return used == null || used.n() == null ? 0 : Long.parseLong(used.n());
  }

  /** Bucket end plus a day; a sliding bucket is read as the previous one for a window longer. */
  private static long expiresAt(Window window, Instant bucketStart) {
    int lengths = window.kind() == Window.Kind.SLIDING ? 2 : 1;
    return bucketStart.plus(window.length().multipliedBy(lengths)).plus(COUNTER_KEPT).getEpochSecond();
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
