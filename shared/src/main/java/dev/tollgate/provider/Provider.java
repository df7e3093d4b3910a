package dev.tollgate.provider;

/**
 * The port every upstream format implements: take an OpenAI-shaped chat request, call the
 * target, and answer in OpenAI's shape (whole or streamed) or fail with a classified
 * {@link UpstreamFailure}.
 */
public interface Provider {

  ProviderSpec spec();

  /** False for a type that only embeds (its targets cannot answer chat completions). */
  default boolean servesChat() {
    return true;
  }

  UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure;

  /**
   * Opens a streamed answer. Returns once the upstream accepted the call (a success status);
   * an upstream that refuses fails here, classified like {@link #complete}. Providers without
   * native streaming replay their complete answer.
   */
  default ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    return BufferedChunkStream.of(complete(call));
  }
}
