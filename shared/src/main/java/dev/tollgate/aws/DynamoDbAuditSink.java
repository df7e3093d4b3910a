package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditFallback;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.audit.AuditSink;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Audit records into the audit table: one {@code PutItem} per record, which is the one round trip
 * a request pays for its audit (a stream pays it after its body is over). Throttling
 * ({@code ProvisionedThroughputExceeded}, {@code ThrottlingException}, {@code RequestLimitExceeded}),
 * 5xx answers and I/O failures are retried {@link #MAX_ATTEMPTS} times in all, with short jittered
 * backoff; a record that still cannot be stored, or that the table refuses outright, becomes one
 * JSON log line ({@link AuditFallback}), so no record is lost. Nothing is thrown into the request.
 *
 * <p>The client should make a single attempt per call (see {@link AwsClients#dynamoDbSingleAttempt}):
 * the retries are counted here, so the round trips a record can cost are bounded and known.
 */
public final class DynamoDbAuditSink implements AuditSink {

  /** Attempts per record at most: the first and two retries. */
  public static final int MAX_ATTEMPTS = 3;
  /** The first retry waits about this long, the second twice as long (each with up to 50% jitter). */
  static final Duration BASE_BACKOFF = Duration.ofMillis(25);
  /** A fallback line above this drops its payloads: CloudWatch Logs cuts events at 256 KB. */
  static final int MAX_FALLBACK_CHARS = 200_000;

  private static final Set<String> THROTTLING =
      Set.of("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
          "RequestLimitExceededException");

  private final DynamoDbClient dynamo;
  private final String table;
  private final Metrics metrics;
  private final Consumer<String> fallback;

  public DynamoDbAuditSink(DynamoDbClient dynamo, String table, Metrics metrics) {
    this(dynamo, table, metrics, AuditFallback.LOG_LINE);
  }

  /** As above, with fallback lines written to {@code fallback} (tests read them there). */
  public DynamoDbAuditSink(DynamoDbClient dynamo, String table, Metrics metrics, Consumer<String> fallback) {
    this.dynamo = dynamo;
    this.table = table;
    this.metrics = metrics;
    this.fallback = fallback;
  }

  @Override
  public void write(AuditRecord record) {
    String failure;
    try {
      PutItemRequest put = PutItemRequest.builder().tableName(table).item(AuditItems.toItem(record)).build();
      failure = put(put);
    } catch (RuntimeException e) {
      failure = e.getClass().getSimpleName();
    }
    if (failure != null) {
      metrics.increment(MetricNames.AUDIT_FALLBACKS);
      fallback.accept(fallbackLine(record, failure));
    }
  }

  /** Null once stored, else why not. */
  private String put(PutItemRequest put) {
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.putItem(put);
        return null;
      } catch (SdkException e) {
        String reason = reason(e);
        if (!retryable(e) || attempt >= MAX_ATTEMPTS) {
          return reason + " after " + attempt + (attempt == 1 ? " attempt" : " attempts");
        }
        if (!pause(attempt)) {
          return reason + " (interrupted)";
        }
      }
    }
  }

  static boolean retryable(SdkException e) {
    if (e instanceof DynamoDbException dynamoError) {
      String code = dynamoError.awsErrorDetails() == null ? "" : dynamoError.awsErrorDetails().errorCode();
      return THROTTLING.contains(code) || dynamoError.isThrottlingException() || dynamoError.statusCode() >= 500;
    }
    return e instanceof SdkClientException; // no answer at all: I/O, a timeout
  }

  private static String reason(SdkException e) {
    if (e instanceof DynamoDbException dynamoError && dynamoError.awsErrorDetails() != null) {
      return dynamoError.awsErrorDetails().errorCode() + " (HTTP " + dynamoError.statusCode() + ")";
    }
    return e.getClass().getSimpleName();
  }

  private static boolean pause(int attempt) {
    long base = BASE_BACKOFF.toMillis() << (attempt - 1);
    long millis = base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String fallbackLine(AuditRecord record, String reason) {
    String line = AuditFallback.line(record, reason);
    if (line.length() <= MAX_FALLBACK_CHARS) {
      return line;
    }
    ObjectNode trimmed = (ObjectNode) Json.parse(line);
    trimmed.remove("prompt");
    trimmed.remove("response");
    trimmed.put("payloadsDropped", true);
    return Json.text(trimmed);
  }
}
