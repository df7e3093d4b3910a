package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SseEvent;
import java.util.List;

/**
 * Turns one provider's server-sent events into OpenAI {@code chat.completion.chunk}s. Stateful:
 * one instance per stream.
 */
public interface StreamTranslator {

  /** The chunks this event yields, often none or one; an error event fails the stream. */
  List<ObjectNode> onEvent(SseEvent event) throws UpstreamFailure;

  /** Whether the provider has said the answer is complete; a stream that ends before is cut. */
  boolean finished();

  /**
   * Whether the stream may end here without being cut: by default only once {@link #finished()};
   * a format whose end marker some servers leave out may accept less.
   */
  default boolean completeAtEnd() {
    return finished();
  }

  /** The tokens reported so far. */
  Usage usage();
}
