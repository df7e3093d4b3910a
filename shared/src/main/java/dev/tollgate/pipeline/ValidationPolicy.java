package dev.tollgate.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.EmbeddingsRequestValidator;
import dev.tollgate.api.Json;
import dev.tollgate.api.TollgateExtension;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Enforces the body size limit, parses the JSON and validates it as the endpoint's request: a
 * chat completion, or embeddings when built {@link #embeddings()}. A client format other than
 * OpenAI's chat is first translated into one (a 400 naming the field when it cannot be), so every
 * later policy sees the same OpenAI-shaped request. The body's {@code tollgate} extension is
 * taken out here and kept on the exchange ({@link Exchange#extension()}).
 */
public final class ValidationPolicy implements Policy {

  /**
   * Turns a client body into an OpenAI chat body, or throws {@link ApiException} for bad input;
   * {@code templated}: the request names a prompt template, so it may bring no messages of its own.
   */
  @FunctionalInterface
  public interface ChatTranslation {
    JsonNode toChat(JsonNode root, boolean templated);
  }

  private final BiConsumer<Exchange, JsonNode> validator;

  /** For OpenAI chat completion bodies. */
  public ValidationPolicy() {
    this((JsonNode root, boolean templated) -> root);
  }

  /**
   * For another client format. The {@code tollgate} extension is taken out of the client's body
   * first, whatever the format, so it never reaches a translator or an upstream.
   */
  public ValidationPolicy(ChatTranslation toChatRequest) {
    this((Exchange exchange, JsonNode root) -> {
      TollgateExtension extension = TollgateExtension.take(root);
      exchange.extension(extension);
      boolean templated = extension.template().isPresent();
      exchange.chatRequest(ChatRequestValidator.validate(toChatRequest.toChat(root, templated), templated));
    });
  }

  /** {@code validator} throws {@link ApiException} for an invalid body, else records it on the exchange. */
  private ValidationPolicy(BiConsumer<Exchange, JsonNode> validator) {
    this.validator = validator;
  }

  /** For OpenAI embeddings bodies. */
  public static ValidationPolicy embeddings() {
    return new ValidationPolicy((Exchange exchange, JsonNode root) -> {
      // Taken out here too, so it never reaches an upstream; prompt templates are for chat only.
      TollgateExtension extension = TollgateExtension.take(root);
      if (extension.template().isPresent()) {
        throw new ApiException(
            ApiError.invalidField(
                TollgateExtension.FIELD + ".template", "Prompt templates apply to chat requests, not to embeddings."));
      }
      if (extension.kb().isPresent()) {
        throw new ApiException(
            ApiError.invalidField(
                TollgateExtension.FIELD + ".kb", "Knowledge bases ground chat answers; embeddings requests take none."));
      }
      exchange.extension(extension);
      exchange.embeddingsRequest(EmbeddingsRequestValidator.validate(root));
    });
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
      validator.accept(exchange, root);
    } catch (ApiException e) {
      return Reply.error(e.error());
    }
    return chain.proceed(exchange);
  }
}
