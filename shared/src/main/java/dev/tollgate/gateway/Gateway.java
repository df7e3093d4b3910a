package dev.tollgate.gateway;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.audit.AuditTrail;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.RefreshingConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as one function from request to response, whatever edge carries it: picks the
 * endpoint's pipeline, runs it against the current config snapshot, renders the reply and adds
 * the headers every response carries. Every request but a health check leaves one audit record:
 * written by the exchange's first final hook once the body is over, or, for a request that failed
 * before an exchange existed (config unavailable), right after its error is rendered.
 */
public final class Gateway {

  public static final String REQUEST_ID = "x-request-id";
  public static final String TARGET = "x-tollgate-target";
  public static final String OVERHEAD_MS = "x-tollgate-overhead-ms";
  /**
   * Liveness of the process, for the Lambda Web Adapter's readiness check. Outside /v1/, so no
   * API route reaches it; it reads no config and records no metrics.
   */
  public static final String HEALTH_PATH = "/healthz";
  public static final String MESSAGES_PATH = "/v1/messages";
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final RefreshingConfig config;
  private final RandomSource random;
  private final Pipeline chat;
  private final Pipeline messages;
  private final Pipeline models;
  private final Pipeline embeddings;
  private final Metrics metrics;
  private final AuditTrail audit;

  Gateway(
      RefreshingConfig config,
      RandomSource random,
      Pipeline chat,
      Pipeline messages,
      Pipeline models,
      Pipeline embeddings,
      Metrics metrics,
      AuditTrail audit) {
    this.config = config;
    this.random = random;
    this.chat = chat;
    this.messages = messages;
    this.models = models;
    this.embeddings = embeddings;
    this.metrics = metrics;
    this.audit = audit;
  }

  /**
   * After a SnapStart restore: draw new random seeds (every restored copy would otherwise share
   * the snapshot's sequence) and reload config on the next request.
   */
  public void afterRestore() {
    random.reseed();
    config.expire();
  }

  /** Answers with the whole body in memory (a stream is collected), for edges that cannot stream. */
  public GatewayResponse handle(GatewayRequest request) {
    return handleStreaming(request).buffered();
  }

  /**
   * Answers as soon as the status and headers are known; a streamed chat completion comes back
   * with a body that writes its chunks as they arrive. Whoever receives it must write it.
   */
  public GatewayResponse handleStreaming(GatewayRequest request) {
    if (request.path().equals(HEALTH_PATH) && request.method().equals("GET")) {
      return health(request);
    }
    long start = System.nanoTime();
    Instant arrived = audit.now();
    Exchange exchange = null;
    Reply reply;
    try {
      GatewayConfig snapshot = config.current();
      exchange = new Exchange(request, start, snapshot);
      Exchange finished = exchange;
      exchange.whenComplete(() -> recordCompletion(finished));
      // Registered before any policy runs, so the record is written before other final hooks.
      exchange.afterComplete(() -> audit.completed(finished, arrived));
      reply = route(request).run(exchange);
    } catch (ApiException e) {
      reply = Reply.error(e.error());
    } catch (RuntimeException e) {
      LOG.error("Request {} failed inside the gateway", request.requestId(), e);
      reply = Reply.error(ApiError.internal(request.requestId()));
    }
    ReplyRenderer.Rendered rendered = format(request).render(reply, exchange);
    long upstreamNanos = exchange == null ? 0 : exchange.upstreamNanos();
    // The gateway's own time until the headers; the audit write that follows is not in it.
    long overheadNanos = System.nanoTime() - start - upstreamNanos;
    if (exchange != null) {
      exchange.status(rendered.status());
      exchange.overheadNanos(overheadNanos);
    }
    if (exchange != null && rendered.stream() == null) {
      exchange.complete(rendered.status() < 400 ? "ok" : "error " + rendered.status());
    }
    if (exchange == null) {
      audit.unrouted(request, arrived, rendered.status(), start);
    }
    Map<String, String> headers = new LinkedHashMap<>(rendered.headers());
    if (exchange != null) {
      headers.putAll(exchange.responseHeaders());
    }
    headers.put(REQUEST_ID, request.requestId());
    headers.put(TARGET, exchange == null ? "none" : exchange.answeredBy().orElse("none"));
    double overheadMs = overheadNanos / 1_000_000.0;
    headers.put(OVERHEAD_MS, String.format(Locale.ROOT, "%.3f", overheadMs));
    record(rendered.status(), overheadMs, upstreamNanos);
    return new GatewayResponse(rendered.status(), headers, rendered.body(), rendered.stream());
  }

  /** The largest body the current config accepts; edges stop reading one byte past it. */
  public long maxRequestBytes() {
    try {
      return config.current().settings().maxRequestBytes();
    } catch (ApiException e) {
      return Settings.DEFAULT_MAX_REQUEST_BYTES;
    }
  }

  private static GatewayResponse health(GatewayRequest request) {
    return new GatewayResponse(
        200,
        Map.of("content-type", "application/json", REQUEST_ID, request.requestId()),
        "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
  }

  private Pipeline route(GatewayRequest request) {
    String path = request.path();
    if (path.equals("/v1/chat/completions")) {
      requireMethod(request, "POST");
      return chat;
    }
    if (path.equals(MESSAGES_PATH)) {
      requireMethod(request, "POST");
      return messages;
    }
    if (path.equals("/v1/embeddings")) {
      requireMethod(request, "POST");
      return embeddings;
    }
    if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
      requireMethod(request, "GET");
      return models;
    }
    throw new ApiException(ApiError.notFound(request.method(), path));
  }

  /** Anthropic's Messages endpoint answers in Anthropic's format, errors included; all else in OpenAI's. */
  private static ClientFormat format(GatewayRequest request) {
    return request.path().equals(MESSAGES_PATH) ? ClientFormat.anthropic() : ClientFormat.openAi();
  }

  private static void requireMethod(GatewayRequest request, String method) {
    if (!request.method().equals(method)) {
      throw new ApiException(ApiError.methodNotAllowed(request.method(), request.path()));
    }
  }

  /** Tokens are counted once the body is over, so a stream counts what it really used. */
  private void recordCompletion(Exchange exchange) {
    if (exchange.usage().totalTokens() > 0) {
      metrics.count(MetricNames.PROMPT_TOKENS, exchange.usage().promptTokens());
      metrics.count(MetricNames.COMPLETION_TOKENS, exchange.usage().completionTokens());
    }
    if (exchange.outcome().filter(o -> !o.equals("ok") && !o.startsWith("error")).isPresent()) {
      metrics.increment(MetricNames.STREAMS_INTERRUPTED);
    }
  }

  private void record(int status, double overheadMs, long upstreamNanos) {
    metrics.increment(MetricNames.REQUESTS);
    if (status >= 400 && status < 500) {
      metrics.increment(MetricNames.CLIENT_ERRORS);
    }
    if (status >= 500) {
      metrics.increment(MetricNames.SERVER_ERRORS);
    }
    metrics.milliseconds(MetricNames.OVERHEAD_MS, overheadMs);
    if (upstreamNanos > 0) {
      metrics.milliseconds(MetricNames.UPSTREAM_MS, upstreamNanos / 1_000_000.0);
    }
  }
}
