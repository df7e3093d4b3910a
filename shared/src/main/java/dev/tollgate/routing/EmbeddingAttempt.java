package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.EmbeddingsResponse;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * An embeddings attempt: the provider's vectors rendered in OpenAI's list shape (float or base64
 * as the client asked). An answer with the wrong number of vectors is a malformed answer, so the
 * next target is tried.
 */
public final class EmbeddingAttempt implements AttemptCall {

  @Override
  public Optional<ApiError> refuses(Route route, Target target, Provider provider, Exchange exchange) {
    if (!(provider instanceof EmbeddingProvider embedder)) {
      return Optional.of(
          ApiError.modelNotSupported(
              route.alias(),
              "embeddings",
              "its target '" + target.id() + "' uses provider '" + target.provider() + "', which cannot embed"));
    }
    return embedder
        .refuses(exchange.embeddingsRequest())
        .map(
            error ->
                ApiError.invalidField(
                    error.param(), error.message() + " (model '" + route.alias() + "', target '" + target.id() + "')"));
  }

  @Override
  public Reply call(Provider provider, Target target, Optional<Secret> credential, Duration timeout, Exchange exchange)
      throws UpstreamFailure {
    EmbeddingsRequest request = exchange.embeddingsRequest();
    EmbeddingResponse response =
        ((EmbeddingProvider) provider)
            .embed(new EmbeddingCall(target, request, credential, timeout, exchange.requestId()));
    if (response.vectors().size() != request.inputCount()) {
      throw UpstreamFailure.of(
          FailureKind.BAD_RESPONSE,
          response.vectors().size() + " embeddings for " + request.inputCount() + " inputs");
    }
    exchange.usage(response.usage());
    return Reply.json(
        EmbeddingsResponse.toJson(response.vectors(), response.model(), response.promptTokens(), request.base64()));
  }
}
