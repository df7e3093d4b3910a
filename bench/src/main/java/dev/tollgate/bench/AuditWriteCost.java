package dev.tollgate.bench;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.DynamoDbAuditSink;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * What an audit record costs the request that writes it: {@link DynamoDbAuditSink#write} timed
 * alone, one at a time, through the production client ({@code AwsClients.dynamoDbSingleAttempt}:
 * SDK signing, JSON, URL-connection HTTP) against a DynamoDB Local on loopback, e.g. the one
 * {@code tollgate dev --dynamodb-port} serves. Two shapes take turns: a typical record without
 * payloads (two attempts, one verdict) and one with 2 KB each of prompt and answer (a route with
 * {@code auditPayloads}). Prints one markdown table.
 *
 * <p>Options: {@code --endpoint http://127.0.0.1:PORT [--table tollgate-audit --requests 500 --warmup 300]}.
 * Needs AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set (any values) for the SDK's signer.
 */
public final class AuditWriteCost {

  private AuditWriteCost() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    URI endpoint = URI.create(args.text("endpoint"));
    String table = args.text("table", "tollgate-audit");
    int requests = args.integer("requests", 500);
    int warmup = args.integer("warmup", 300);
    InMemoryMetrics metrics = new InMemoryMetrics();
    DynamoDbAuditSink sink =
        new DynamoDbAuditSink(AwsClients.dynamoDbSingleAttempt(Region.US_EAST_1, Optional.of(endpoint)), table, metrics);
    long[] plain = new long[requests];
    long[] payloads = new long[requests];
    String twoKb = "x".repeat(2048);
    for (int i = -warmup; i < requests; i++) {
      long took = time(sink, record("bench-audit-" + i, null));
      long tookWithPayloads = time(sink, record("bench-audit-p" + i, twoKb));
      if (i >= 0) {
        plain[i] = took;
        payloads[i] = tookWithPayloads;
      }
    }
    if (metrics.sum(MetricNames.AUDIT_FALLBACKS) > 0) {
      throw new IllegalStateException("some records were not stored; the figures would mean nothing");
    }
    System.out.println("### Audit record write: one PutItem through the gateway's client, alone, c=1 (ms)");
    System.out.println();
    System.out.printf("%d of each, taking turns, after %d discarded rounds, against DynamoDB Local at %s.%n%n", requests, warmup, endpoint);
    System.out.println("| record | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    row("typical, no payloads (~0.6 KB item)", plain);
    row("with 2 KB prompt + 2 KB answer", payloads);
    System.out.println();
  }

  private static void row(String label, long[] nanos) {
    Sample s = Sample.ofNanos(nanos);
    System.out.printf("| %s | %s | %s | %s | %s |%n", label, Format.ms(s.median()), Format.ms(s.percentile(90)),
        Format.ms(s.percentile(99)), Format.ms(s.max()));
  }

  private static long time(DynamoDbAuditSink sink, AuditRecord record) {
    long start = System.nanoTime();
    sink.write(record);
    return System.nanoTime() - start;
  }

  /** A record like a chat request that failed over once leaves; a day ahead, since DynamoDB Local hides expired items. */
  private static AuditRecord record(String id, String payload) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new AuditRecord(
        id, at, "POST", "/v1/chat/completions", "bench-consumer", "default", "chat",
        List.of(new AuditRecord.AttemptEntry("primary", "server error (HTTP 500)", 41), new AuditRecord.AttemptEntry("fallback", "ok", 812)),
        200, "ok", 1_250, 310, new BigDecimal("0.004325"), 0.412, 230.5, 853.2, "off",
        List.of(new Verdict("limit", "team-tpm", "skip", "target primary: needed 1314, 200 left")),
        null, payload, payload, at.plus(Duration.ofDays(30)).getEpochSecond(), List.of());
  }
}
