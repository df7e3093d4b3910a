package dev.tollgate.provider;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.EmbeddingsRequest;
import java.util.Optional;

/**
 * The embeddings capability of a provider: embed an OpenAI-shaped embeddings request on a target
 * and answer with one vector per input, in input order, or fail with a classified
 * {@link UpstreamFailure}. A provider type serves embeddings exactly when it implements this.
 */
public interface EmbeddingProvider extends Provider {

  EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure;

  /**
   * A 400 naming the parameter when this provider cannot honour the request at all (token-id
   * input, an unsupported {@code dimensions}); checked for every target before the first attempt.
   */
  default Optional<ApiError> refuses(EmbeddingsRequest request) {
    return Optional.empty();
  }

  /** The usual refusal of token-id input, for providers that embed text only. */
  static Optional<ApiError> textOnly(EmbeddingsRequest request, String providerType) {
    return request.tokenInput()
        ? Optional.of(
            ApiError.invalidField(
                "input",
                "Invalid value for 'input': token arrays are accepted by OpenAI-compatible upstreams only, and this"
                    + " model is served by provider '" + providerType + "'; send the text instead."))
        : Optional.empty();
  }
}
