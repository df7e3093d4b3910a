package dev.tollgate.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.util.List;
import java.util.Optional;

/**
 * Context-aware routing: the first routing rule (by order, then name) whose conditions all hold
 * rewrites the request's model alias, so routing, limits and the audit all see the new one. A
 * request for {@code auto} that no rule picks a model for is answered 400, unless {@code auto} is
 * itself a configured alias. Every decision is named in {@value #HEADER} (the rule, or
 * {@code none}) and, when a rule matched, in a verdict for the audit record; a semantic match adds
 * its similarity ({@code code; semantic=0.71}). A semantic condition that cannot be evaluated (no
 * model, the model failing) does not hold: the request goes on to the next rule, with a verdict
 * and a metric saying why, and is never answered with an error for it.
 */
public final class RoutingRulePolicy implements Policy {

  public static final String HEADER = "x-tollgate-route";
  static final String STAGE = "rule";
  static final String NONE = "none";
  static final String SEMANTIC_UNAVAILABLE = "semantic_unavailable";

  private final TextEmbedder embedder;
  private final Metrics metrics;

  /** Routing rules without an embedding model: semantic conditions never hold. */
  public RoutingRulePolicy() {
    this(TextEmbedder.NONE, Metrics.NONE);
  }

  /** @param embedder embeds a request's last user message when a semantic rule is reached; the one examples were embedded by */
  public RoutingRulePolicy(TextEmbedder embedder, Metrics metrics) {
    this.embedder = embedder;
    this.metrics = metrics;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    List<RoutingRule> rules = exchange.config().rules();
    ChatRequest request = exchange.chatRequest();
    String from = request.model();
    RequestFeatures features =
        new RequestFeatures(exchange.request(), request, exchange.consumer().orElseThrow().group(), embedder);
    boolean failureReported = false;
    for (RoutingRule rule : rules) {
      if (!rule.matchesWithoutSemantic(features)) {
        continue;
      }
      Optional<SemanticCondition.Score> score = rule.semantic().map(condition -> condition.score(features));
      if (score.isPresent() && score.get().failure().isPresent()) {
        if (!failureReported) { // one verdict and count per request, however many semantic rules fail alike
          failureReported = true;
          exchange.verdict(new Verdict(STAGE, rule.name(), SEMANTIC_UNAVAILABLE, score.get().failure().get()));
          metrics.increment(MetricNames.ROUTING_SEMANTIC_UNAVAILABLE);
        }
        continue;
      }
      if (score.isEmpty() || score.get().holds()) {
        return route(exchange, chain, rule, score);
      }
    }
    exchange.responseHeaders().put(HEADER, NONE);
    if (from.equals(RoutingRule.AUTO) && exchange.config().route(RoutingRule.AUTO).isEmpty()) {
      return Reply.error(noRouteForAuto());
    }
    return chain.proceed(exchange);
  }

  private static Reply route(
      Exchange exchange, PolicyChain chain, RoutingRule rule, Optional<SemanticCondition.Score> score) {
    ChatRequest request = exchange.chatRequest();
    String detail = request.model() + " -> " + rule.to();
    String header = rule.name();
    if (score.isPresent()) {
      detail += ", semantic " + score.get().similarityText();
      header += "; semantic=" + score.get().similarityText();
    }
    exchange.responseHeaders().put(HEADER, header);
    exchange.verdict(new Verdict(STAGE, rule.name(), "route", detail));
    ObjectNode body = request.body();
    body.put("model", rule.to());
    exchange.chatRequest(new ChatRequest(body));
    return chain.proceed(exchange);
  }

  /** The answer to {@code model: auto} when no routing rule matched the request. */
  public static ApiError noRouteForAuto() {
    return new ApiError(
        400,
        "No routing rule matched this request, so 'auto' could not pick a model. Name a model alias"
            + " (GET /v1/models lists them), or ask the gateway's operator for a rule that covers this request.",
        ApiError.INVALID_REQUEST,
        "model",
        "no_route_for_auto",
        0);
  }
}
