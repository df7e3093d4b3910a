package dev.tollgate.provider;

/**
 * The port every upstream format implements: take an OpenAI-shaped chat request, call the
 * target, and answer in OpenAI's shape or fail with a classified {@link UpstreamFailure}.
 */
public interface Provider {

  ProviderSpec spec();

  UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure;
}
