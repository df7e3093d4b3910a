package dev.tollgate.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import java.util.List;

/**
 * Context-aware routing: the first routing rule (by order, then name) whose conditions all hold
 * rewrites the request's model alias, so routing, limits and the audit all see the new one. A
 * request for {@code auto} that no rule picks a model for is answered 400, unless {@code auto} is
 * itself a configured alias. Every decision is named in {@value #HEADER} (the rule, or
 * {@code none}) and, when a rule matched, in a verdict for the audit record.
 */
public final class RoutingRulePolicy implements Policy {

  public static final String HEADER = "x-tollgate-route";
  static final String STAGE = "rule";
  static final String NONE = "none";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    List<RoutingRule> rules = exchange.config().rules();
    ChatRequest request = exchange.chatRequest();
    String from = request.model();
    RequestFeatures features =
        new RequestFeatures(exchange.request(), request, exchange.consumer().orElseThrow().group());
    for (RoutingRule rule : rules) {
      if (rule.matches(features)) {
        exchange.responseHeaders().put(HEADER, rule.name());
        exchange.verdict(new Verdict(STAGE, rule.name(), "route", from + " -> " + rule.to()));
        ObjectNode body = request.body();
        body.put("model", rule.to());
        exchange.chatRequest(new ChatRequest(body));
        return chain.proceed(exchange);
      }
    }
    exchange.responseHeaders().put(HEADER, NONE);
    if (from.equals(RoutingRule.AUTO) && exchange.config().route(RoutingRule.AUTO).isEmpty()) {
      return Reply.error(noRouteForAuto());
    }
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
