package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * The part of {@link FailoverPolicy} that depends on what is asked (a chat completion, embeddings):
 * whether a target can serve the request at all, and the one upstream call of an attempt. The
 * attempt loop itself (tiers, weights, limits, budget, failover) is the same for every kind.
 */
public interface AttemptCall {

  /**
   * A 400 when {@code target} of {@code route} cannot serve this request whatever happens
   * upstream (the wrong capability, a parameter its provider cannot honour); checked for every
   * selectable target before the first attempt, so the answer does not depend on the draw.
   */
  Optional<ApiError> refuses(Route route, Target target, Provider provider, Exchange exchange);

  /** One attempt on {@code target}; a failure decides whether the loop moves on. */
  Reply call(Provider provider, Target target, Optional<Secret> credential, Duration timeout, Exchange exchange)
      throws UpstreamFailure;
}
