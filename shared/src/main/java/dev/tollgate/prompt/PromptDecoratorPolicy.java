package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import java.util.List;

/**
 * Puts the messages of every matching decorator around the request's messages. With several, the
 * order is by decorator name both ways: the prepended messages of {@code a-...} come before those of
 * {@code b-...}, then the request's messages (a template's included), then the appended messages
 * of {@code a-...}, then those of {@code b-...}.
 */
public final class PromptDecoratorPolicy implements Policy {

  static final String STAGE = "decorator";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    ObjectNode body = exchange.chatRequest().body();
    List<PromptDecorator> decorators = matching(exchange);
    if (decorators.isEmpty()) {
      return chain.proceed(exchange);
    }
    ArrayNode messages = Json.array();
    decorators.forEach(decorator -> decorator.prepend().forEach(message -> messages.add(message.toJson())));
    JsonNode own = body.get("messages");
    if (own != null && own.isArray()) {
      messages.addAll((ArrayNode) own);
    }
    decorators.forEach(decorator -> decorator.append().forEach(message -> messages.add(message.toJson())));
    body.set("messages", messages);
    exchange.chatRequest(new ChatRequest(body));
    decorators.forEach(decorator -> exchange.verdict(
        new Verdict(STAGE, decorator.name(), "apply",
            "prepend " + decorator.prepend().size() + ", append " + decorator.append().size())));
    return chain.proceed(exchange);
  }

  /** The decorators for this request's model alias and the caller's group, in name order. */
  static List<PromptDecorator> matching(Exchange exchange) {
    return exchange.config().prompts()
        .decoratorsFor(exchange.chatRequest().model(), exchange.consumer().orElseThrow().group());
  }
}
