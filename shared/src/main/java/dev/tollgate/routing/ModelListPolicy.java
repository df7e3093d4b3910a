package dev.tollgate.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import java.util.Optional;

/**
 * Answers {@code GET /v1/models} (the aliases this caller may use and that have an enabled
 * target) and {@code GET /v1/models/{id}}, in OpenAI's format.
 */
public final class ModelListPolicy implements Policy {

  private static final String PREFIX = "/v1/models/";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Consumer consumer = exchange.consumer().orElseThrow();
    long created = exchange.config().loadedAt().getEpochSecond();
    String path = exchange.request().path();
    if (path.startsWith(PREFIX)) {
      String alias = path.substring(PREFIX.length());
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
    return Reply.json(list);
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
