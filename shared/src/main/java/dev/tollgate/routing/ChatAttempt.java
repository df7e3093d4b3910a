package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.StartedChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import java.time.Duration;
import java.util.Optional;

/** A chat completion attempt, whole or streamed. */
public final class ChatAttempt implements AttemptCall {

  @Override
  public Optional<ApiError> refuses(Route route, Target target, Provider provider, Exchange exchange) {
    return provider.servesChat()
        ? Optional.empty()
        : Optional.of(
            ApiError.modelNotSupported(
                route.alias(),
                "chat completions",
                "its target '" + target.id() + "' uses provider '" + target.provider()
                    + "', which serves embeddings only (POST /v1/embeddings)"));
  }

  /**
   * A stream counts as answered once its first chunk is in: until then a failure moves on to
   * the next target, after it the client already has bytes. Later chunks are bounded by the
   * target's timeout as an idle limit.
   */
  @Override
  public Reply call(Provider provider, Target target, Optional<Secret> credential, Duration timeout, Exchange exchange)
      throws UpstreamFailure {
    ChatRequest request = exchange.chatRequest();
    UpstreamCall call = new UpstreamCall(target, request, credential, timeout, exchange.requestId());
    if (request.stream()) {
      ChunkStream stream = StartedChunkStream.await(provider.stream(call), timeout, target.timeout());
      return new Reply.Stream(stream, request.includeUsage());
    }
    UpstreamResponse response = provider.complete(call);
    exchange.usage(response.usage());
    return new Reply.Completion(response.completion(), false, request.includeUsage());
  }
}
