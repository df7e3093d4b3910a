package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import java.util.Optional;

/** Resolves the requested model alias: 404 when it does not exist, 403 when the key may not use it. */
public final class RoutePolicy implements Policy {

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    String alias = exchange.requestedModel();
    Optional<Route> route = exchange.config().route(alias);
    if (route.isEmpty()) {
      return Reply.error(ApiError.modelNotFound(alias));
    }
    Consumer consumer = exchange.consumer().orElseThrow();
    if (!consumer.mayUse(alias)) {
      return Reply.error(ApiError.modelNotAllowed(alias));
    }
    exchange.route(route.get());
    return chain.proceed(exchange);
  }
}
