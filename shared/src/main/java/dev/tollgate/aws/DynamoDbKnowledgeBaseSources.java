package dev.tollgate.aws;

import dev.tollgate.rag.KnowledgeBaseSource;
import dev.tollgate.rag.RetrievalException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Which retriever each knowledge base uses, from its base item in the knowledge table
 * ({@code kb=<name>, sk=base}: {@code retriever}, {@code bedrockKnowledgeBaseId}), read with
 * {@code GetItem} and kept for {@link #MAX_AGE}, so a query costs no extra round trip while a
 * changed base item is seen within that time.
 */
public final class DynamoDbKnowledgeBaseSources implements Function<String, Optional<KnowledgeBaseSource>> {

  public static final String KB = "kb";
  public static final String SK = "sk";
  public static final String BASE_SK = "base";
  public static final Duration MAX_AGE = Duration.ofSeconds(30);

  private record Cached(Optional<KnowledgeBaseSource> source, Instant readAt) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final InstantSource clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public DynamoDbKnowledgeBaseSources(DynamoDbClient dynamo, String table, InstantSource clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /**
   * The base item's source, empty when the knowledge base has none.
   *
   * @throws RetrievalException when the table cannot be read
   */
  @Override
  public Optional<KnowledgeBaseSource> apply(String kb) {
    Instant now = clock.instant();
    Cached cached = cache.get(kb);
    if (cached != null && cached.readAt().plus(MAX_AGE).isAfter(now)) {
      return cached.source();
    }
    Optional<KnowledgeBaseSource> source = read(kb);
    cache.put(kb, new Cached(source, now));
    return source;
  }

  /** Just the Bedrock knowledge base id, for {@link BedrockKnowledgeBaseRetriever}. */
  public Optional<String> bedrockKnowledgeBaseId(String kb) {
    return apply(kb).filter(KnowledgeBaseSource::bedrock).flatMap(KnowledgeBaseSource::bedrockKnowledgeBaseId);
  }

  private Optional<KnowledgeBaseSource> read(String kb) {
    GetItemResponse response;
    try {
      response =
          dynamo.getItem(
              b -> b.tableName(table)
                  .key(Map.of(KB, AttributeValue.fromS(kb), SK, AttributeValue.fromS(BASE_SK)))
                  .projectionExpression("kb, retriever, bedrockKnowledgeBaseId"));
    } catch (SdkException e) {
      throw new RetrievalException("the knowledge table '" + table + "' could not be read: " + AwsFailures.of(e).description(), e);
    }
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    String retriever = Optional.ofNullable(item.get("retriever")).map(AttributeValue::s).orElse(KnowledgeBaseSource.INDEX);
    return Optional.of(
        new KnowledgeBaseSource(retriever, Optional.ofNullable(item.get("bedrockKnowledgeBaseId")).map(AttributeValue::s)));
  }
}
