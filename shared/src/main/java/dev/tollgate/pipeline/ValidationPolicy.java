package dev.tollgate.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Enforces the body size limit, parses the JSON and validates it as a chat completion request.
 * A client format other than OpenAI's is first translated into one (a 400 naming the field when
 * it cannot be), so every later policy sees the same OpenAI-shaped request.
 */
public final class ValidationPolicy implements Policy {

  private final UnaryOperator<JsonNode> toChatRequest;

  /** For OpenAI chat completion bodies. */
  public ValidationPolicy() {
    this(UnaryOperator.identity());
  }

  /** For another client format; {@code toChatRequest} throws {@link ApiException} on bad input. */
  public ValidationPolicy(UnaryOperator<JsonNode> toChatRequest) {
    this.toChatRequest = toChatRequest;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    byte[] body = exchange.request().body();
    long limit = exchange.config().settings().maxRequestBytes();
    if (body.length > limit) {
      return Reply.error(ApiError.tooLarge(limit));
    }
    if (body.length == 0) {
      return Reply.error(ApiError.invalidJson("the body is empty"));
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (JsonProcessingException e) {
      return Reply.error(ApiError.invalidJson(e.getOriginalMessage()));
    } catch (IOException e) {
      return Reply.error(ApiError.invalidJson("the body could not be read"));
    }
    try {
      exchange.chatRequest(ChatRequestValidator.validate(toChatRequest.apply(root)));
    } catch (ApiException e) {
      return Reply.error(e.error());
    }
    return chain.proceed(exchange);
  }
}
