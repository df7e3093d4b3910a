package dev.tollgate.audit;

import dev.tollgate.auth.Consumer;
import dev.tollgate.config.Settings;
import dev.tollgate.limit.CostCalculator;
import dev.tollgate.pipeline.Attempt;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.Target;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import dev.tollgate.telemetry.RequestMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one audit record per request once its body is over (after limit settlement), and reports
 * the request's metrics per model, target and consumer from the same numbers. The gateway calls it
 * for every request but health checks: from the exchange's final hook, or directly for a request
 * that failed before an exchange existed (config unavailable). It never throws into the request.
 */
public final class AuditTrail {

  /** Redacts nothing: until the PII redactor is wired in, payload capture stores text as sent. */
  public static final PayloadRedactor NO_REDACTION = text -> text;

  /** Each captured payload is cut to this many UTF-8 bytes: both must fit one 400 KB item. */
  static final int MAX_PAYLOAD_BYTES = 150_000;

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  /** The moderation verdict's stage: its presence marks the record's moderation as pending. */
  static final String MODERATION_STAGE = "moderation";
  /** The outcome the stream body reports when the client went away (ChunkStreamBody). */
  private static final String CLIENT_GONE = "client disconnected";

  private final AuditSink sink;
  private final PayloadRedactor redactor;
  private final InstantSource clock;
  private final Metrics metrics;

  public AuditTrail(AuditSink sink, PayloadRedactor redactor, InstantSource clock, Metrics metrics) {
    this.sink = sink;
    this.redactor = redactor;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Now, to the millisecond: the gateway reads it when a request arrives, for the record's time. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The final hook of every exchange: records the request that arrived {@code at} as it ended. */
  public void completed(Exchange exchange, Instant at) {
    AuditRecord record;
    try {
      record = recordOf(exchange, at, System.nanoTime());
    } catch (RuntimeException e) {
      // Still one record: who and what are unknown, but the request, its time and status are not.
      LOG.error("Request {}: the audit record could not be built; a bare one is written", exchange.requestId(), e);
      write(bare(exchange.request(), at, exchange.status(), "audit record incomplete: " + e.getClass().getSimpleName(),
          (System.nanoTime() - exchange.startNanos()) / 1e6));
      return;
    }
    report(exchange, record);
    write(record);
  }

  /** A request that ended before an exchange existed (no config to run it with). */
  public void unrouted(GatewayRequest request, Instant at, int status, long startNanos) {
    double totalMs = (System.nanoTime() - startNanos) / 1e6;
    metrics.request(
        new RequestMetrics(
            RequestMetrics.NONE, RequestMetrics.NONE, RequestMetrics.NONE, status, status >= 500, 0, 0, 0, totalMs));
    write(bare(request, at, status, "error " + status, totalMs));
  }

  /** A record of only what the request itself says: no consumer, route, usage or verdicts. */
  private static AuditRecord bare(GatewayRequest request, Instant at, int status, String outcome, double totalMs) {
    return new AuditRecord(
        request.requestId(), at, request.method(), request.path(), null, null, null, List.of(), status,
        outcome, 0, 0, null, totalMs, null, 0, AuditRecord.CACHE_OFF, List.of(), null, null, null,
        expiry(at, Settings.DEFAULT_AUDIT_RETENTION_DAYS), List.of());
  }

  private void write(AuditRecord record) {
    try {
      sink.write(record);
    } catch (RuntimeException e) {
      // Sinks keep their own fallback; this is for one that broke its promise not to throw.
      metrics.increment(MetricNames.AUDIT_FALLBACKS);
      AuditFallback.LOG_LINE.accept(AuditFallback.line(record, e.getClass().getSimpleName()));
    }
  }

  AuditRecord recordOf(Exchange exchange, Instant at, long nowNanos) {
    Optional<Consumer> consumer = exchange.consumer();
    Optional<Route> route = exchange.resolvedRoute();
    Optional<Target> answered = answeringTarget(exchange, route);
    Usage usage = exchange.usage();
    List<AuditRecord.AttemptEntry> attempts =
        exchange.attempts().stream().map(AuditTrail::entry).toList();
    List<Verdict> verdicts = exchange.verdicts();
    boolean payloads = route.map(Route::auditPayloads).orElse(false);
    return new AuditRecord(
        exchange.requestId(),
        at,
        exchange.request().method(),
        exchange.request().path(),
        consumer.map(Consumer::name).orElse(null),
        consumer.map(Consumer::group).orElse(null),
        route.map(Route::alias).or(() -> exchange.validatedModel().map(AuditTrail::shortAlias)).orElse(null),
        attempts,
        exchange.status(),
        exchange.outcome().orElse(""),
        Math.max(0, usage.promptTokens()),
        Math.max(0, usage.completionTokens()),
        // a cache hit called no upstream: its cost is known to be 0, not unknown
        answered.flatMap(t -> cost(exchange, usage, t)).orElse(cacheHit(exchange) ? BigDecimal.ZERO : null),
        exchange.overheadNanos() / 1e6,
        answered.isPresent() && exchange.firstByteAtNanos() > 0 ? exchange.firstByteNanos() / 1e6 : null,
        upstreamNanos(exchange, nowNanos) / 1e6,
        exchange.cacheStatus(),
        verdicts,
        verdicts.stream().anyMatch(v -> v.stage().equals(MODERATION_STAGE)) ? "pending" : null,
        payloads ? prompt(exchange) : null,
        payloads ? redacted(exchange.requestId(), exchange.answerText()) : null,
        expiry(at, exchange.config().settings().auditRetentionDays()),
        exchange.sources());
  }

  private static boolean cacheHit(Exchange exchange) {
    return exchange.cacheStatus().equals("hit");
  }

  private void report(Exchange exchange, AuditRecord record) {
    try {
      String model = exchange.resolvedRoute().map(Route::alias).orElse(RequestMetrics.NONE);
      String target = exchange.answeredBy().orElse(RequestMetrics.NONE);
      // A stream that broke after its 200 failed too; a client that left did not.
      boolean broken =
          record.status() < 400 && !record.outcome().equals("ok") && !record.outcome().equals(CLIENT_GONE);
      double latencyMs = (System.nanoTime() - exchange.startNanos()) / 1e6;
      metrics.request(
          new RequestMetrics(
              model,
              target,
              exchange.consumer().map(Consumer::name).orElse(RequestMetrics.NONE),
              record.status(),
              record.status() >= 500 || broken,
              record.tokensIn(),
              record.tokensOut(),
              record.costUsd() == null ? 0 : record.costUsd().doubleValue(),
              latencyMs));
    } catch (RuntimeException e) {
      LOG.warn("Request {}: its metrics could not be reported: {}", exchange.requestId(), e.toString());
    }
  }

  /** Failed attempts' time plus the answering one's, a stream's until its body was over. */
  private static long upstreamNanos(Exchange exchange, long nowNanos) {
    long total = exchange.upstreamNanos();
    if (exchange.streamed() && exchange.firstByteAtNanos() > 0) {
      total += Math.max(0, nowNanos - exchange.firstByteAtNanos());
    }
    return total;
  }

  private static Optional<Target> answeringTarget(Exchange exchange, Optional<Route> route) {
    Optional<String> id = exchange.answeredBy();
    if (id.isEmpty() || route.isEmpty()) {
      return Optional.empty();
    }
    return route.get().targets().stream().filter(t -> t.id().equals(id.get())).findFirst();
  }

  private static Optional<BigDecimal> cost(Exchange exchange, Usage usage, Target target) {
    OptionalLong micros = new CostCalculator(exchange.config().prices()).microDollars(usage, target);
    return micros.isPresent() ? Optional.of(BigDecimal.valueOf(micros.getAsLong(), 6)) : Optional.empty();
  }

  private String prompt(Exchange exchange) {
    return exchange.validatedChat()
        .map(chat -> redacted(exchange.requestId(), PromptText.of(chat)))
        .orElse(null);
  }

  /** Redacted and cut to size; a redactor that fails keeps no text at all, never the raw one. */
  private String redacted(String requestId, String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    try {
      return PromptText.cut(redactor.redact(text), MAX_PAYLOAD_BYTES);
    } catch (RuntimeException e) {
      LOG.warn("Request {}: payload redaction failed ({}); the audit record keeps no payload", requestId, e.toString());
      return null;
    }
  }

  private static long expiry(Instant at, int retentionDays) {
    return at.plus(Duration.ofDays(retentionDays)).getEpochSecond();
  }

  private static AuditRecord.AttemptEntry entry(Attempt attempt) {
    return new AuditRecord.AttemptEntry(attempt.targetId(), attempt.outcome(), attempt.elapsedMillis());
  }

  /** An alias no route knows is the client's text: kept, but bounded. */
  private static String shortAlias(String model) {
    return model.length() <= 128 ? model : model.substring(0, 128);
  }
}
