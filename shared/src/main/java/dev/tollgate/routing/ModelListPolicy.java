package dev.tollgate.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import java.util.Optional;

/**
 * Answers {@code GET /v1/models} (the aliases this caller may use and that have an enabled
 * target) and {@code GET /v1/models/{id}}, in OpenAI's format. {@code auto} is listed too, with a
 * description, when a routing rule could pick a model for this caller's {@code auto} requests
 * (unless {@code auto} is itself a configured alias, listed as such).
 */
public final class ModelListPolicy implements Policy {

  private static final String PREFIX = "/v1/models/";
  static final String AUTO_DESCRIPTION =
      "Picks a model for each request by the gateway's routing rules; x-tollgate-route names the rule that matched.";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Consumer consumer = exchange.consumer().orElseThrow();
    long created = exchange.config().loadedAt().getEpochSecond();
    String path = exchange.request().path();
    if (path.startsWith(PREFIX)) {
      String alias = path.substring(PREFIX.length());
      if (alias.equals(RoutingRule.AUTO) && autoListed(exchange.config(), consumer)) {
        return Reply.json(auto(created));
      }
      Optional<Route> route = exchange.config().route(alias).filter(r -> usable(r, consumer));
      return route.<Reply>map(r -> Reply.json(model(r, created)))
          .orElseGet(() -> Reply.error(ApiError.modelNotFound(alias)));
    }
    ObjectNode list = Json.object();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (Route route : exchange.config().routes().values()) {
      if (usable(route, consumer)) {
        data.add(model(route, created));
      }
    }
    if (autoListed(exchange.config(), consumer)) {
      data.add(auto(created));
    }
    return Reply.json(list);
  }

  /** Whether a rule may route this caller's {@code auto} to an alias the caller may use. */
  private static boolean autoListed(GatewayConfig config, Consumer consumer) {
    if (config.route(RoutingRule.AUTO).isPresent()) {
      return false;
    }
    for (RoutingRule rule : config.rules()) {
      boolean forAuto = rule.models().isEmpty() || rule.models().contains(RoutingRule.AUTO);
      boolean forGroup = rule.groups().isEmpty() || rule.groups().contains(consumer.group());
      if (forAuto && forGroup && config.route(rule.to()).filter(route -> usable(route, consumer)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode auto(long created) {
    ObjectNode model = Json.object();
    model.put("id", RoutingRule.AUTO);
    model.put("object", "model");
    model.put("created", created);
    model.put("owned_by", "tollgate");
    model.put("description", AUTO_DESCRIPTION);
    return model;
  }

  private static boolean usable(Route route, Consumer consumer) {
    return consumer.mayUse(route.alias()) && route.hasSelectableTarget();
  }

  private static ObjectNode model(Route route, long created) {
    ObjectNode model = Json.object();
    model.put("id", route.alias());
    model.put("object", "model");
    model.put("created", created);
    model.put("owned_by", "tollgate");
    return model;
  }
}
