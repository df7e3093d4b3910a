package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A streamed answer, pulled one {@code chat.completion.chunk} at a time on the caller's thread.
 *
 * <p>Chunks carry {@code choices} deltas only: a provider never yields the usage-only chunk;
 * it reports tokens through {@link #usage()} instead, and the edge writes the usage chunk when
 * the client asked for it. {@link #close()} stops reading and cancels the upstream call; it may
 * be called from another thread (a watchdog, a disconnecting client), and then a blocked
 * {@link #next()} fails.
 */
public interface ChunkStream extends AutoCloseable {

  /** The next chunk, or empty once the upstream finished cleanly; blocks until one is there. */
  Optional<ObjectNode> next() throws UpstreamFailure;

  /** The tokens reported so far; complete once {@link #next()} returned empty. */
  Usage usage();

  @Override
  void close();
}
