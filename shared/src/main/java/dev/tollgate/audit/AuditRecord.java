package dev.tollgate.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.rag.Citation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway keeps about one request, whatever became of it: who asked, through which
 * alias and targets, what it cost, how long it took, what the policies decided, and (only where
 * a route opts in) the redacted prompt and answer.
 *
 * @param requestId the {@code x-request-id} the client was sent
 * @param at when the request arrived (UTC, milliseconds)
 * @param method the HTTP method
 * @param path the request path
 * @param consumer the authenticated consumer, or {@link #NO_CONSUMER} (401s, unknown paths)
 * @param group the consumer's group; empty when unauthenticated
 * @param alias the model alias the request named; empty when it named none
 * @param attempts the upstream targets tried, in order, with outcome and time
 * @param status the HTTP status sent (200 for a stream, however it ended)
 * @param outcome how the body ended: {@code ok}, {@code error <status>}, a stream failure label,
 *     {@code client disconnected}
 * @param tokensIn prompt tokens the upstream reported
 * @param tokensOut completion tokens the upstream reported
 * @param costUsd the cost at the answering target's prices; null when no price is known
 * @param overheadMs the gateway's own time up to the response headers
 * @param ttftMs upstream time to first token of the answering attempt (a whole completion: its
 *     whole time); null when no target answered
 * @param upstreamMs time spent on upstreams, every attempt, a stream until its end
 * @param cache response cache status: {@code hit}, {@code miss}, {@code bypass}, or {@code off} (no cache
 *     policy covered the request); a hit has 0 tokens, cost 0 and no target
 * @param verdicts what the policies decided (guard, filter, guardrail, limit, ...)
 * @param moderation {@code pending} when output moderation was queued, else null; the moderation
 *     function later replaces it with its verdict
 * @param prompt the redacted prompt, only when the route's {@code auditPayloads} is on
 * @param response the redacted answer, only when the route's {@code auditPayloads} is on
 * @param expiresAt when the table's TTL may delete the record (epoch seconds)
 * @param sources the knowledge-base chunks the answer was grounded in (never their text); empty without retrieval
 */
public record AuditRecord(
    String requestId,
    Instant at,
    String method,
    String path,
    String consumer,
    String group,
    String alias,
    List<AttemptEntry> attempts,
    int status,
    String outcome,
    long tokensIn,
    long tokensOut,
    BigDecimal costUsd,
    double overheadMs,
    Double ttftMs,
    double upstreamMs,
    String cache,
    List<Verdict> verdicts,
    String moderation,
    String prompt,
    String response,
    long expiresAt,
    List<Citation> sources) {

  /** The consumer of a request that never authenticated; no consumer name can contain parentheses. */
  public static final String NO_CONSUMER = "(none)";
  /** The cache status of a request no cache policy covered (or that ended before the cache step). */
  public static final String CACHE_OFF = "off";

  public AuditRecord {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(at, "at");
    attempts = List.copyOf(attempts);
    verdicts = List.copyOf(verdicts);
    consumer = consumer == null || consumer.isEmpty() ? NO_CONSUMER : consumer;
    group = group == null ? "" : group;
    alias = alias == null ? "" : alias;
    outcome = outcome == null ? "" : outcome;
    cache = cache == null ? CACHE_OFF : cache;
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** One upstream attempt: the target, how it ended ({@code ok} or the failure), its time. */
  public record AttemptEntry(String target, String outcome, long ms) {}

  /** The record as one JSON object, the same fields as the table item; for logs and the CLI. */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    json.put("requestId", requestId);
    json.put("at", AuditTime.format(at));
    json.put("method", method);
    json.put("path", path);
    json.put("consumer", consumer);
    json.put("group", group);
    json.put("alias", alias);
    ArrayNode tried = json.putArray("attempts");
    attempts.forEach(a -> tried.addObject().put("target", a.target()).put("outcome", a.outcome()).put("ms", a.ms()));
    json.put("status", status);
    json.put("outcome", outcome);
    json.put("tokensIn", tokensIn);
    json.put("tokensOut", tokensOut);
    if (costUsd != null) {
      json.put("costUsd", costUsd);
    }
    json.put("overheadMs", overheadMs);
    if (ttftMs != null) {
      json.put("ttftMs", ttftMs);
    }
    json.put("upstreamMs", upstreamMs);
    json.put("cache", cache);
    ArrayNode decided = json.putArray("verdicts");
    verdicts.forEach(v ->
        decided.addObject().put("stage", v.stage()).put("policy", v.policy()).put("action", v.action()).put("detail", v.detail()));
    if (moderation != null) {
      json.put("moderation", moderation);
    }
    if (prompt != null) {
      json.put("prompt", prompt);
    }
    if (response != null) {
      json.put("response", response);
    }
    json.put("expiresAt", expiresAt);
    if (!sources.isEmpty()) {
      ArrayNode cited = json.putArray("sources");
      sources.forEach(c -> cited.addObject().put("n", c.n()).put("kb", c.kb()).put("documentId", c.documentId())
          .put("chunkId", c.chunkId()).put("position", c.position()).put("score", c.score()));
    }
    return json;
  }
}
