package dev.tollgate.aws;

import dev.tollgate.cache.CacheStore;
import dev.tollgate.cache.CacheStoreException;
import dev.tollgate.cache.CachedAnswer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The cache table ({@code <prefix>cache}): one item per cached answer or semantic index, key
 * {@code key}, the answer in {@code body}, {@code storedAt} in epoch milliseconds and the TTL
 * attribute {@code expiresAt} in epoch seconds. Reads are eventually consistent: a write missed by
 * a read that follows it costs one hit, never correctness.
 */
public final class DynamoDbResponseCache implements CacheStore {

  public static final String KEY = "key";
  static final String BODY = "body";
  static final String STORED_AT = "storedAt";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbResponseCache(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Optional<CachedAnswer> get(String key) {
    GetItemResponse response;
    try {
      response = dynamo.getItem(b -> b.tableName(table).key(Map.of(KEY, s(key))));
    } catch (SdkException e) {
      throw new CacheStoreException("reading cache item failed: " + e.getClass().getSimpleName(), e);
    }
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    AttributeValue body = item.get(BODY);
    AttributeValue storedAt = item.get(STORED_AT);
    AttributeValue expiresAt = item.get(TableSchemas.TTL_ATTRIBUTE);
    if (body == null || body.s() == null || storedAt == null || expiresAt == null) {
      return Optional.empty(); // not an item this code wrote: no answer
    }
    return Optional.of(
        new CachedAnswer(
            key,
            body.s(),
            Instant.ofEpochMilli(Long.parseLong(storedAt.n())),
            Instant.ofEpochSecond(Long.parseLong(expiresAt.n()))));
  }

  @Override
  public void put(CachedAnswer answer) {
    try {
      dynamo.putItem(b -> b.tableName(table).item(Map.of(
          KEY, s(answer.key()),
          BODY, s(answer.body()),
          STORED_AT, n(answer.storedAt().toEpochMilli()),
          TableSchemas.TTL_ATTRIBUTE, n(answer.expiresAt().getEpochSecond()))));
    } catch (SdkException e) {
      throw new CacheStoreException("writing cache item failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
